/**
 * The ActionDispatcher's tool gate: a dispatch that names a tool asks the daemon's policy.check
 * first, files an approval request when the decision needs one and waits for the human, and says
 * why an action did not run with a typed error. (docs/safety.md "The SDK's dispatch".)
 */
import type { Approval, PolicyDecision } from '../protocol/types';
import type { SwitchboardClient } from './client';

/** The policy refused the tool call: fn did not run. `decision.reason` says what decided. */
export class PolicyDeniedError extends Error {
  override name = 'PolicyDeniedError';
  constructor(readonly decision: PolicyDecision) {
    super(decision.reason);
  }
}

/** The call needed approval and a human rejected it (or nobody answered in time): fn did not run. */
export class ApprovalRejectedError extends Error {
  override name = 'ApprovalRejectedError';
  constructor(
    readonly decision: PolicyDecision,
    readonly approval: Approval,
  ) {
    super(`approval ${approval.status}${approval.reason ? `: ${approval.reason}` : ''} (${decision.reason})`);
  }
}

export interface ToolCall {
  agentId: string;
  /** Tool name, or name:version. */
  tool: string;
  /** Default {}; null sends none, which skips the schema, argument rules and validator (for a tool whose arguments are content it inspects, not acts on). */
  args?: Record<string, unknown> | null;
  workflowId?: string;
  /** How long a human has to decide (default: the daemon's approval timeout). */
  approvalTimeoutMs?: number;
  /** Called when the decision needs a human, before the request is filed (`switchboard mcp` reports progress from it). */
  onApprovalRequest?(decision: PolicyDecision): void;
}

/** Resolves with the decision that lets the call run, or rejects with why it may not. */
export async function authorizeToolCall(client: SwitchboardClient, call: ToolCall): Promise<PolicyDecision> {
  const decision = await client.call('policy.check', {
    agentId: call.agentId,
    tool: call.tool,
    ...(call.args === null ? {} : { args: call.args ?? {} }),
    ...(call.workflowId === undefined ? {} : { workflowId: call.workflowId }),
  });
  if (!decision.allowed) throw new PolicyDeniedError(decision);
  if (!decision.requiresApproval) return decision;
  call.onApprovalRequest?.(decision);
  const tool = decision.tool ?? call.tool;
  const approval = await client.approvals.request({
    agentId: call.agentId,
    type: `tool:${tool.split(':')[0]}`,
    // The daemon's copy of the arguments: secret fields already redacted.
    context: { tool, args: decision.args ?? {}, reason: decision.reason },
    risk: (decision.flags ?? []).length > 0 ? 'high' : 'medium',
    ...(call.approvalTimeoutMs === undefined ? {} : { timeoutMs: call.approvalTimeoutMs }),
  });
  if (approval.status !== 'approved') throw new ApprovalRejectedError(decision, approval);
  return decision;
}
