/**
 * What a policy entry's argument rules and the live validator rules say about a call's arguments.
 * Pure: a denial (the first one found) or the approvals asked for, with the arguments as they may
 * be shown (validator redactions applied).
 */
import type { ToolSpec } from '../../../protocol/types';
import { validate, type CompiledRuleSet } from '../validator/validator';
import { matchesTool, type CompiledArgRule, type CompiledEntry } from './compile-policy';
import { isSecretKey } from './redact-args';

export interface ArgsVerdict {
  /** A deny argument rule or a block finding: the rule and the reason. */
  denied?: { rule: string; reason: string };
  /** Why the call needs approval (argument rules with then "approve", approve findings). */
  approvals: string[];
  /** The arguments with redact findings replaced (secret fields are redacted later, for every path). */
  args: Record<string, unknown>;
}

export function checkArgs(entry: CompiledEntry, spec: ToolSpec, args: Record<string, unknown>, rules: CompiledRuleSet, agentId: string): ArgsVerdict {
  const approvals: string[] = [];
  for (const argRule of entry.argRules) {
    if (!matchesTool(argRule.tool, spec.name, spec.version) || !matches(argRule, valueAt(args, argRule.field))) continue;
    const reason = `${argRule.rule.message ?? `args.${argRule.rule.field} ${describe(argRule)}`} (${argRule.path})`;
    if (argRule.rule.then === 'deny') return { denied: { rule: argRule.path, reason }, approvals, args };
    approvals.push(reason);
  }
  const shown = validateStrings(args, '', rules, agentId, approvals);
  if (shown instanceof Denial) return { denied: { rule: shown.rule, reason: shown.reason }, approvals, args };
  return { approvals, args: shown as Record<string, unknown> };
}

function matches(argRule: CompiledArgRule, value: unknown): boolean {
  if (value === undefined) return false;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (argRule.pattern && !argRule.pattern.test(text)) return false;
  if (argRule.oneOf && !argRule.oneOf.has(value as string | number | boolean)) return false;
  if (argRule.rule.maxLength !== undefined && text.length <= argRule.rule.maxLength) return false;
  return true;
}

function describe({ rule }: CompiledArgRule): string {
  const parts = [
    rule.pattern === undefined ? '' : `matches /${rule.pattern}/`,
    rule.oneOf === undefined ? '' : `is one of ${JSON.stringify(rule.oneOf)}`,
    rule.maxLength === undefined ? '' : `is longer than ${rule.maxLength} characters`,
  ];
  return parts.filter(Boolean).join(' and ');
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let value = args;
  for (const step of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** A block finding, carried out of the walk (a class: no argument value can pass for one). */
class Denial {
  constructor(
    readonly rule: string,
    readonly reason: string,
  ) {}
}

/** Runs every string value (secret fields aside: they are never shown) through the validator. */
function validateStrings(value: unknown, path: string, rules: CompiledRuleSet, agentId: string, approvals: string[]): unknown {
  if (typeof value === 'string') {
    const result = validate(rules, value, { agentId });
    const blocking = result.findings.find((finding) => finding.action === 'block');
    const at = `args${path}`;
    if (blocking) return new Denial('validator', `${at}: ${blocking.message} (rule ${blocking.ruleId})`);
    for (const finding of result.findings) if (finding.action === 'approve') approvals.push(`${at}: ${finding.message} (rule ${finding.ruleId})`);
    return result.redacted ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Array.isArray(value) ? value.map((inner, i) => [String(i), inner] as const) : Object.entries(value);
  const out: [string, unknown][] = [];
  for (const [key, inner] of entries) {
    if (isSecretKey(key)) {
      out.push([key, inner]);
      continue;
    }
    const walked = validateStrings(inner, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, rules, agentId, approvals);
    if (walked instanceof Denial) return walked;
    out.push([key, walked]);
  }
  return Array.isArray(value) ? out.map(([, inner]) => inner) : Object.fromEntries(out);
}
