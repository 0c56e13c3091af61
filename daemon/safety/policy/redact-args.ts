/**
 * Tool arguments as they may leave the daemon: every value under a key REDACTED_FIELDS names
 * (whole key or a `_`/`-` separated part, any case) replaced by REDACTED, at any depth.
 */
import { REDACTED, REDACTED_FIELDS } from '../../../protocol/safety';

const SECRET_PARTS = new Set<string>(REDACTED_FIELDS);

export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_PARTS.has(lower) || lower.split(/[_-]/).some((part) => SECRET_PARTS.has(part));
}

export function redactArgs(args: Record<string, unknown>): Record<string, unknown> {
  return redactValue(args) as Record<string, unknown>;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, isSecretKey(key) ? REDACTED : redactValue(inner)]));
}
