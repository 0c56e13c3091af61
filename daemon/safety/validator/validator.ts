/**
 * The validator: a compiled rule set and the function that runs it over a text. Pure (no Redis):
 * the rules module keeps the live set, enforcement and safety.validate call `validate`.
 */
import { SEVERITY_WEIGHT, type Direction } from '../../../protocol/safety';
import type { SafetyFinding, SafetyRule, ValidationResult } from '../../../protocol/types';

/** A rule set that failed to compile: which rule, which field, and why. The set is refused whole. */
export class RuleSetError extends Error {
  constructor(
    readonly index: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`rules[${index}].${field}: ${reason}`);
    this.name = 'RuleSetError';
  }
}

interface CompiledRule {
  rule: SafetyRule;
  regexp: RegExp;
}

export interface CompiledRuleSet {
  readonly version: number;
  readonly rules: readonly SafetyRule[];
  readonly compiled: readonly CompiledRule[];
}

export interface ValidateOptions {
  direction?: Direction;
  agentId?: string;
}

/**
 * Compiles one pattern of a rule or an argument rule, or throws an Error saying why it is refused.
 * (Linear-time checking comes with the full validator.)
 */
export function compilePattern(source: string, caseInsensitive: boolean): RegExp {
  return new RegExp(source, caseInsensitive ? 'gi' : 'g');
}

/** Compiles every rule or throws a RuleSetError naming the first bad one. */
export function compileRules(rules: readonly SafetyRule[], version: number): CompiledRuleSet {
  const ids = new Set<string>();
  const compiled = rules.map((rule, index) => {
    if (ids.has(rule.id)) throw new RuleSetError(index, 'id', `duplicate rule id "${rule.id}"`);
    ids.add(rule.id);
    let regexp: RegExp;
    try {
      regexp = compilePattern(rule.pattern, rule.caseInsensitive ?? false);
    } catch (error) {
      throw new RuleSetError(index, 'pattern', (error as Error).message);
    }
    return { rule, regexp };
  });
  return { version, rules, compiled };
}

/** Runs the rule set over the text. */
export function validate(set: CompiledRuleSet, text: string, options: ValidateOptions = {}): ValidationResult {
  const findings: SafetyFinding[] = [];
  for (const { rule, regexp } of set.compiled) {
    if (rule.enabled === false) continue;
    if (options.direction && rule.directions && !rule.directions.includes(options.direction)) continue;
    regexp.lastIndex = 0;
    for (let match = regexp.exec(text); match; match = regexp.exec(text)) {
      if (match[0].length === 0) {
        regexp.lastIndex++;
        continue;
      }
      findings.push({
        ruleId: rule.id,
        category: rule.category,
        severity: rule.severity,
        action: rule.action,
        start: match.index,
        end: match.index + match[0].length,
        message: rule.message,
      });
    }
  }
  return summarize(set, text, findings);
}

function summarize(set: CompiledRuleSet, text: string, findings: SafetyFinding[]): ValidationResult {
  findings.sort((a, b) => a.start - b.start || b.end - a.end);
  const blocking = findings.find((finding) => finding.action === 'block');
  const result: ValidationResult = {
    level: blocking ? 'blocked' : findings.length > 0 ? 'warning' : 'safe',
    findings,
    score: Math.min(1, findings.reduce((sum, finding) => sum + SEVERITY_WEIGHT[finding.severity], 0)),
    requiresApproval: findings.some((finding) => finding.action === 'approve'),
    rulesVersion: set.version,
  };
  const alternative = findings
    .filter((finding) => finding.action === 'block')
    .map((finding) => set.rules.find((rule) => rule.id === finding.ruleId)?.alternative)
    .find((text) => text !== undefined);
  if (alternative !== undefined) result.alternative = alternative;
  const redactions = findings.filter((finding) => finding.action === 'redact');
  if (redactions.length > 0) result.redacted = redact(set, text, redactions);
  return result;
}

/** Replaces each redact finding's span (overlapping spans merge into the first). */
function redact(set: CompiledRuleSet, text: string, redactions: SafetyFinding[]): string {
  let out = '';
  let at = 0;
  for (const finding of redactions) {
    if (finding.end <= at) continue;
    const rule = set.rules.find((r) => r.id === finding.ruleId);
    out += text.slice(at, Math.max(at, finding.start)) + (rule?.replacement ?? `[REDACTED:${finding.ruleId}]`);
    at = finding.end;
  }
  return out + text.slice(at);
}
