/**
 * Runs the validator over one JSON value (a signal payload, an approval context…): every string,
 * number and object key is checked, values under secret keys (REDACTED_FIELDS) are replaced
 * whatever they hold, and redact findings are replaced in their leaf. The leaves are checked as
 * one text, one leaf per line, so a payload costs one validation however many strings it has;
 * only leaves with a redact finding are validated again on their own to get their redacted text.
 */
import { REDACTED, REDACTED_FIELDS, type Direction, type SafetyLevel } from '../../protocol/safety';
import type { SafetyFinding } from '../../protocol/types';
import { validate, type CompiledRuleSet } from './validator/validator';

/** A finding with where it is: the JSON path of its leaf, and its span inside that leaf. */
export interface PlacedFinding extends SafetyFinding {
  path: string;
}

export interface PayloadScan {
  level: SafetyLevel;
  findings: PlacedFinding[];
  /** The value as it may be stored and sent: present only when something was replaced. */
  redacted?: unknown;
}

const SECRET_KEY = new RegExp(`(?:^|[_-])(?:${REDACTED_FIELDS.join('|')})(?:$|[_-])`, 'i');

/** Whether a key's value is a secret whatever it holds (case-insensitive, whole key or a _/- part). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

interface PathNode {
  up?: PathNode;
  key: string | number;
  /** The leaf index of this key when it is an object key (its own findings hide it in paths). */
  keyLeaf?: number;
}

interface Leaf {
  text: string;
  at: PathNode;
  isKey: boolean;
}

const SEPARATOR = '\n';

export function scanPayload(set: CompiledRuleSet, root: string, value: unknown, direction: Direction, agentId?: string): PayloadScan {
  const leaves: Leaf[] = [];
  const secrets = collect(value, { key: root }, leaves);
  if (leaves.length === 0) return secrets ? { level: 'safe', findings: [], redacted: rewrite(value, new Map()) } : { level: 'safe', findings: [] };
  const starts: number[] = [];
  let length = 0;
  for (const leaf of leaves) {
    starts.push(length);
    length += leaf.text.length + SEPARATOR.length;
  }
  const joined = leaves.length === 1 ? leaves[0]!.text : leaves.map((leaf) => leaf.text).join(SEPARATOR);
  const result = validate(set, joined, { direction, agentId });
  if (result.findings.length === 0) return secrets ? { level: 'safe', findings: [], redacted: rewrite(value, new Map()) } : { level: 'safe', findings: [] };

  const placed = result.findings.map((finding) => {
    const index = leafAt(starts, finding.start);
    const start = finding.start - starts[index]!;
    return { finding: { ...finding, start, end: Math.min(finding.end - starts[index]!, leaves[index]!.text.length) }, index };
  });
  const flagged = new Set(placed.map(({ index }) => index));
  const findings = placed.map(({ finding, index }) => ({ ...finding, path: pathOf(leaves[index]!, flagged) }));
  if (result.level === 'blocked') return { level: result.level, findings };

  const replaced = new Map<number, string>();
  for (const { finding, index } of placed) {
    if (finding.action !== 'redact' || replaced.has(index)) continue;
    const own = validate(set, leaves[index]!.text, { direction, agentId }).redacted;
    if (own !== undefined) replaced.set(index, own);
  }
  const changed = secrets || replaced.size > 0;
  return changed ? { level: result.level, findings, redacted: rewrite(value, replaced) } : { level: result.level, findings };
}

/** Gathers the leaves in walk order; returns whether a secret key was seen (its value is never walked). */
function collect(value: unknown, at: PathNode, leaves: Leaf[]): boolean {
  if (typeof value === 'string') leaves.push({ text: value, at, isKey: false });
  else if (typeof value === 'number') leaves.push({ text: String(value), at, isKey: false });
  else if (Array.isArray(value)) {
    let secrets = false;
    for (let i = 0; i < value.length; i++) secrets = collect(value[i], { up: at, key: i }, leaves) || secrets;
    return secrets;
  } else if (value !== null && typeof value === 'object') {
    let secrets = false;
    for (const [key, child] of Object.entries(value)) {
      const node: PathNode = { up: at, key, keyLeaf: leaves.length };
      leaves.push({ text: key, at: node, isKey: true });
      if (isSecretKey(key)) secrets = true;
      else secrets = collect(child, node, leaves) || secrets;
    }
    return secrets;
  }
  return false;
}

/** The value with secret keys' values and the replaced leaves swapped in; walks in collect's order. */
function rewrite(value: unknown, replaced: ReadonlyMap<number, string>): unknown {
  let next = 0;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string' || typeof node === 'number') return replaced.get(next++) ?? node;
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      const name = replaced.get(next++) ?? key;
      out[name] = isSecretKey(key) ? REDACTED : walk(child);
    }
    return out;
  };
  return walk(value);
}

function leafAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `payload.notes[2].text`; a key with a finding of its own shows as `[key]` so the path never carries it. */
function pathOf(leaf: Leaf, flagged: ReadonlySet<number>): string {
  const parts: string[] = [];
  for (let node: PathNode | undefined = leaf.at; node; node = node.up) {
    if (typeof node.key === 'number') parts.push(`[${node.key}]`);
    else if (node.up === undefined) parts.push(node.key);
    else if (node.keyLeaf !== undefined && flagged.has(node.keyLeaf)) parts.push('[key]');
    else parts.push(/^[A-Za-z_$][\w$-]*$/.test(node.key) ? `.${node.key}` : `[${JSON.stringify(node.key)}]`);
  }
  return parts.reverse().join('') + (leaf.isKey ? ' (key)' : '');
}
