/**
 * Messages of the Fleet dashboard. Each load of the page says `ready`; the host answers with
 * `init` (the last hour from the daemon), then pushes what arrives, at most once a second.
 */
import type { OutcomeTimeline, QueueSummary } from '../../protocol/types';

/** One recorded outcome, as much of it as the charts use. */
export interface DashboardOutcome {
  agentName: string;
  /** Redis clock (epoch ms). */
  timestamp: number;
  /** failure or timeout. */
  error: boolean;
  durationMs: number;
  tokensUsed: number;
  costUsd: number;
}

export interface DashboardProtocol {
  requests: {
    /** The user clicked an agent: open its details. */
    showAgent: [{ agentName: string }, null];
  };
  toHost: {
    ready: Record<string, never>;
  };
  toWebview: {
    /** The last hour as the daemon has it, and the queues now; null while offline. */
    init: { timeline: OutcomeTimeline | null; queues: QueueSummary[]; now: number };
    /** Outcomes recorded after the init's timeline was read, and queue counts pushed since the last update. */
    update: { outcomes: DashboardOutcome[]; queues: QueueSummary[]; now: number };
  };
}
