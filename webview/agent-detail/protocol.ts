/** Messages of an agent's details page. Each load says `ready`; the host answers with `show`, and again whenever what it shows changes. */
import type { AgentStatus, Approval, OutcomeAgentStats, OutcomeEvent, Signal } from '../../protocol/types';

/** A status (and task) the editor saw the agent in, from when. */
export interface StatusSample {
  at: number;
  status: AgentStatus['status'];
  task: string | null;
}

export interface AgentDetail {
  agentName: string;
  /** null when the daemon does not know the agent (it only records outcomes, or it is gone). */
  agent: AgentStatus | null;
  /** Oldest first, since the editor connected. */
  history: StatusSample[];
  /** Over the daemon's default window; null without outcomes in it. */
  stats: OutcomeAgentStats | null;
  windowSeconds: number;
  /** Newest first; null while the host reads them. */
  failures: OutcomeEvent[] | null;
  signals: Signal[];
  approvals: Approval[];
}

export interface AgentDetailProtocol {
  requests: {
    /** Opens a pending approval's panel. */
    openApproval: [{ requestId: string }, null];
  };
  toHost: {
    ready: Record<string, never>;
  };
  toWebview: {
    show: AgentDetail;
  };
}
