/**
 * policy.check: whether an agent may call a tool now. The order (docs/safety.md "Decision
 * order"): the first entry matching the agent; the tool in the registry; deny over allow; the
 * argument schema; argument rules and the validator; the approvals asked for; the gates
 * (breakers, budgets); the rate limit, which takes a token. Denials and approvals are audited.
 */
import type { ParamsOf } from '../../../protocol/methods';
import type { PolicyDecision, ToolSpec } from '../../../protocol/types';
import type { Deps } from '../../domain/deps';
import { scripts } from '../../store/scripts';
import type { AuditTrail } from '../audit';
import type { PolicyGate } from '../policy-gate';
import type { CompiledRuleSet } from '../validator/validator';
import { checkArgs } from './check-args';
import { matchesTool, type CompiledEntry, type CompiledPolicy } from './compile-policy';
import { globMatch } from './glob';
import { redactArgs } from './redact-args';
import type { ToolRegistry } from './tool-registry';

export interface PolicyCheckDeps {
  deps: Deps;
  policy: () => CompiledPolicy;
  registry: ToolRegistry;
  /** The live validator rule set (the rules part keeps it). */
  liveRules: () => CompiledRuleSet;
  /** Consulted in order once the policy allowed a call (module.ts gives them). */
  gates: readonly PolicyGate[];
  audit: AuditTrail;
}

type Params = ParamsOf<'policy.check'>;

export function policyChecker(d: PolicyCheckDeps): (p: Params) => Promise<PolicyDecision> {
  return async (p) => {
    const decision = await decide(d, p);
    if (!decision.allowed || decision.requiresApproval) await audit(d.audit, p, decision);
    return decision;
  };
}

async function decide(d: PolicyCheckDeps, p: Params): Promise<PolicyDecision> {
  const shownArgs = p.args === undefined ? undefined : redactArgs(p.args);
  const refuse = (rule: string, reason: string): PolicyDecision => ({ allowed: false, requiresApproval: false, reason, rule, ...(shownArgs ? { args: shownArgs } : {}) });

  const policy = d.policy();
  if (policy.unusable) return refuse('policy', policy.unusable);
  const entry = policy.entries.find((each) => globMatch(each.agent, p.agentId));
  if (!entry) return refuse('policy', `no entry of policy version ${policy.version} matches agent "${p.agentId}"`);
  const resolved = d.registry.resolve(p.tool);
  if ('refusal' in resolved) return refuse('tool', resolved.refusal);
  const { spec } = resolved;
  const ref = `${spec.name}:${spec.version}`;
  const resolvedRefuse = (rule: string, reason: string): PolicyDecision => ({ ...refuse(rule, reason), tool: ref, flags: spec.flags });

  const denied = entry.deny.findIndex((glob) => matchesTool(glob, spec.name, spec.version));
  if (denied >= 0) return resolvedRefuse(`${entry.path}.deny[${denied}]`, `${entry.path}.deny[${denied}] ("${entry.deny[denied]!.source}") refuses ${ref} to agent "${p.agentId}"`);
  if (!entry.allow.some((glob) => matchesTool(glob, spec.name, spec.version))) {
    return resolvedRefuse(`${entry.path}.allow`, `${entry.path} ("${entry.agent}") allows agent "${p.agentId}" no tool matching ${ref}`);
  }

  const approvals = approvalsOf(entry, spec);
  let args = shownArgs;
  if (p.args !== undefined) {
    const schemaError = d.registry.checkArgs(spec, p.args);
    if (schemaError) return resolvedRefuse('args', `the arguments do not fit the schema of ${ref}: ${schemaError}`);
    const verdict = checkArgs(entry, spec, p.args, d.liveRules(), p.agentId);
    if (verdict.denied) return resolvedRefuse(verdict.denied.rule, `${ref} refused: ${verdict.denied.reason}`);
    approvals.push(...verdict.approvals);
    args = redactArgs(verdict.args);
  }
  const decision: PolicyDecision = {
    allowed: true,
    requiresApproval: approvals.length > 0,
    reason: approvals.length > 0 ? `${ref} needs approval: ${approvals.join('; ')}` : `${entry.path} ("${entry.agent}") allows ${ref} to agent "${p.agentId}"`,
    rule: entry.path,
    tool: ref,
    flags: spec.flags,
    ...(entry.timeoutMs === undefined ? {} : { timeoutMs: entry.timeoutMs }),
    ...(args ? { args } : {}),
  };

  for (const gate of d.gates) {
    const verdict = await gate({ agentId: p.agentId, tool: spec.name, ...(p.workflowId ? { workflowId: p.workflowId } : {}), overBudget: entry.overBudget });
    if (!verdict) continue;
    if (!verdict.allowed) return { ...verdict, tool: ref, flags: spec.flags, ...(args ? { args } : {}) };
    if (verdict.requiresApproval) {
      Object.assign(decision, decision.requiresApproval ? { reason: `${decision.reason}; ${verdict.reason}` } : { requiresApproval: true, reason: verdict.reason, rule: verdict.rule });
    }
  }

  if (entry.callsPerMinute !== undefined) {
    const { redis, keys } = d.deps;
    const [taken, retryAfterMs] = (await scripts.policyRate.run(redis, { bucket: keys.safetyRate(p.agentId) }, { callsPerMinute: entry.callsPerMinute })) as [number, number];
    if (taken === 0) {
      return { ...resolvedRefuse('rate', `agent "${p.agentId}" made its ${entry.callsPerMinute} tool calls of the minute (${entry.path}.callsPerMinute); try again in ${retryAfterMs} ms`), retryAfterMs };
    }
  }
  d.registry.markUsed(spec, Date.now());
  return decision;
}

/** What the entry and the registry flags say needs a human first. */
function approvalsOf(entry: CompiledEntry, spec: ToolSpec): string[] {
  const approvals: string[] = [];
  const glob = entry.requireApproval.findIndex((each) => matchesTool(each, spec.name, spec.version));
  if (glob >= 0) approvals.push(`every call of it (${entry.path}.requireApproval[${glob}])`);
  const flags = spec.flags.filter((flag) => entry.approvalFlags.has(flag));
  if (flags.length > 0) approvals.push(`it uses ${flags.join(', ')} (${entry.path}.approvalFlags)`);
  return approvals;
}

function audit(trail: AuditTrail, p: Params, decision: PolicyDecision): Promise<string> {
  const kind = decision.allowed ? 'approval_required' : 'policy_denied';
  // The audit trail holds no content: what decided and why, never the arguments.
  const detail = { rule: decision.rule, reason: decision.reason, ...(decision.retryAfterMs === undefined ? {} : { retryAfterMs: decision.retryAfterMs }), ...(p.workflowId ? { workflowId: p.workflowId } : {}) };
  return trail.record(
    { kind, agentId: p.agentId, subject: p.tool, detail },
    { type: 'policy.denied', key: p.agentId, data: { ...decision, agentId: p.agentId, tool: p.tool } },
  );
}
