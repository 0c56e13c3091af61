/**
 * A policy document turned into what policy.check runs: tool globs sorted by what they match, argument
 * rules with their patterns compiled (compilePattern refuses those that could run in more than
 * linear time). Pure; a bad policy is refused whole with the path of the first bad field.
 */
import { TOOL_FLAGS, type ToolFlag } from '../../../protocol/safety';
import type { SafetyPolicy } from '../../../protocol/types';
import { compilePattern } from '../validator/validator';
import { globMatch } from './glob';

type Entry = SafetyPolicy['agents'][number];
type ArgRule = NonNullable<Entry['argRules']>[number];

/** A field of a policy that cannot be used: its path (`policy.agents[2].argRules[0].pattern`) and why. */
export class PolicyError extends Error {
  constructor(
    readonly path: string,
    readonly rule: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'PolicyError';
  }
}

/** A glob over tool refs: with a ':' it is matched against "name:version", without one against the name alone. */
export interface ToolGlob {
  source: string;
  withVersion: boolean;
}

export interface CompiledArgRule {
  rule: ArgRule;
  /** Its place in the policy, as reasons and audit entries name it. */
  path: string;
  tool: ToolGlob;
  field: readonly string[];
  pattern?: RegExp;
  oneOf?: ReadonlySet<string | number | boolean>;
}

export interface CompiledEntry {
  path: string;
  agent: string;
  allow: readonly ToolGlob[];
  deny: readonly ToolGlob[];
  requireApproval: readonly ToolGlob[];
  approvalFlags: ReadonlySet<ToolFlag>;
  callsPerMinute?: number;
  timeoutMs?: number;
  argRules: readonly CompiledArgRule[];
  overBudget: 'refuse' | 'approve';
}

export interface CompiledPolicy {
  version: number;
  entries: readonly CompiledEntry[];
  /** The circuit breaker settings the policy overrides. */
  breakers?: SafetyPolicy['breakers'];
  /** Why the stored policy cannot be used (it no longer compiles): every call is refused, saying so. */
  unusable?: string;
}

/**
 * Version 0, live until the first policy.set: every agent may call every registered, active tool,
 * with no approvals, no argument rules and no rate limit (the registry and the validator still apply).
 */
export const DEFAULT_POLICY: SafetyPolicy = { agents: [{ agent: '*', allow: ['*'] }] };

export function compilePolicy(policy: SafetyPolicy, version: number): CompiledPolicy {
  const entries = policy.agents.map((entry, index) => compileEntry(entry, `policy.agents[${index}]`));
  return { version, entries, ...(policy.breakers ? { breakers: policy.breakers } : {}) };
}

function compileEntry(entry: Entry, path: string): CompiledEntry {
  const globs = (name: 'allow' | 'deny' | 'requireApproval') => (entry[name] ?? []).map((glob, i) => toolGlob(glob, `${path}.${name}[${i}]`));
  for (const [i, flag] of (entry.approvalFlags ?? []).entries()) {
    if (!(TOOL_FLAGS as readonly string[]).includes(flag)) throw new PolicyError(`${path}.approvalFlags[${i}]`, 'enum', `unknown flag "${flag}"`);
  }
  return {
    path,
    agent: entry.agent,
    allow: globs('allow'),
    deny: globs('deny'),
    requireApproval: globs('requireApproval'),
    approvalFlags: new Set(entry.approvalFlags ?? []),
    callsPerMinute: entry.callsPerMinute,
    timeoutMs: entry.timeoutMs,
    argRules: (entry.argRules ?? []).map((rule, i) => compileArgRule(rule, `${path}.argRules[${i}]`)),
    overBudget: entry.overBudget ?? 'refuse',
  };
}

function compileArgRule(rule: ArgRule, path: string): CompiledArgRule {
  if (rule.pattern === undefined && rule.oneOf === undefined && rule.maxLength === undefined) {
    throw new PolicyError(path, 'condition', 'an argument rule needs pattern, oneOf or maxLength');
  }
  let pattern: RegExp | undefined;
  if (rule.pattern !== undefined) {
    try {
      // Without the g flag compilePattern gives: test() must not carry lastIndex from one call to the next.
      pattern = new RegExp(compilePattern(rule.pattern, false).source);
    } catch (error) {
      throw new PolicyError(`${path}.pattern`, 'pattern', (error as Error).message);
    }
  }
  return {
    rule,
    path,
    tool: toolGlob(rule.tool, `${path}.tool`),
    field: rule.field.split('.'),
    pattern,
    oneOf: rule.oneOf === undefined ? undefined : new Set(rule.oneOf),
  };
}

function toolGlob(source: string, path: string): ToolGlob {
  if (source.split(':').length > 2) throw new PolicyError(path, 'glob', `"${source}" has more than one ':' (a tool glob is name or name:version)`);
  if (source.startsWith(':') || source.endsWith(':')) throw new PolicyError(path, 'glob', `"${source}" has an empty name or version`);
  return { source, withVersion: source.includes(':') };
}

export function matchesTool(glob: ToolGlob, name: string, version: string): boolean {
  return globMatch(glob.source, glob.withVersion ? `${name}:${version}` : name);
}
