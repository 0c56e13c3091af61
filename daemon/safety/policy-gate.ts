/**
 * A gate policy.check consults after the policy itself allowed a call: the breakers (open →
 * refused with retryAfterMs; half-open → one of the limited trial calls, or refused) and the
 * budgets (spent → refused, or approval per the entry's overBudget). Each answers a decision
 * that overrides "allowed", or null to let the call through.
 */
import type { PolicyDecision } from '../../protocol/types';

export interface GateCall {
  agentId: string;
  /** The tool's name (without version). */
  tool: string;
  workflowId?: string;
  /** The matching policy entry's overBudget choice (default "refuse"). */
  overBudget: 'refuse' | 'approve';
}

export type PolicyGate = (call: GateCall) => Promise<PolicyDecision | null>;
