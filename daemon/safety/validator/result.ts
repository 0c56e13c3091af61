/** From a validation's findings to its result: level, score, alternative and redacted text. */
import { SEVERITY_WEIGHT } from '../../../protocol/safety';
import type { SafetyFinding, SafetyRule, ValidationResult } from '../../../protocol/types';

export interface Found {
  finding: SafetyFinding;
  rule: SafetyRule;
}

const SAFE_FINDINGS: SafetyFinding[] = [];

export function summarize(version: number, text: string, found: Found[]): ValidationResult {
  if (found.length === 0) return { level: 'safe', findings: SAFE_FINDINGS.slice(), score: 0, requiresApproval: false, rulesVersion: version };
  found.sort((a, b) => a.finding.start - b.finding.start || b.finding.end - a.finding.end);
  let score = 0;
  let blocked = false;
  let requiresApproval = false;
  let redacts = false;
  let alternative: string | undefined;
  for (const { finding, rule } of found) {
    score += SEVERITY_WEIGHT[finding.severity];
    if (finding.action === 'block') {
      blocked = true;
      alternative ??= rule.alternative;
    }
    requiresApproval ||= finding.action === 'approve';
    redacts ||= finding.action === 'redact';
  }
  const result: ValidationResult = {
    level: blocked ? 'blocked' : 'warning',
    findings: found.map(({ finding }) => finding),
    score: Math.min(1, Number(score.toFixed(6))),
    requiresApproval,
    rulesVersion: version,
  };
  if (alternative !== undefined) result.alternative = alternative;
  if (redacts) result.redacted = redact(text, found);
  return result;
}

/**
 * Replaces each redact finding's span with its rule's replacement ("[REDACTED:<id>]" by default).
 * Overlapping spans merge into one, replaced as the first of them says.
 */
function redact(text: string, sorted: Found[]): string {
  const spans: { start: number; end: number; replacement: string }[] = [];
  for (const { finding, rule } of sorted) {
    if (finding.action !== 'redact') continue;
    const last = spans[spans.length - 1];
    if (last && finding.start < last.end) last.end = Math.max(last.end, finding.end);
    else spans.push({ start: finding.start, end: finding.end, replacement: rule.replacement ?? `[REDACTED:${rule.id}]` });
  }
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + span.replacement;
    at = span.end;
  }
  return out + text.slice(at);
}
