/**
 * Messages of the workflow graph. Each load of the page says `ready`; the host answers with the
 * run as it stands, then sends it again each time a push moved it. A click on a step asks for the
 * outcomes its dispatches recorded (correlationId `<workflowId>:<step>`). The page's buttons run the
 * Workflows view's commands (the same confirmation for Cancel), which answer once done or declined.
 */
import type { OutcomeEvent, Workflow } from '../../protocol/types';

export const GRAPH_ACTIONS = ['pause', 'resume', 'cancel', 'retryStep'] as const;
export type GraphAction = (typeof GRAPH_ACTIONS)[number];

export interface WorkflowGraphProtocol {
  requests: {
    stepOutcomes: [{ step: string }, OutcomeEvent[]];
    act: [{ action: GraphAction; step?: string }, null];
  };
  toHost: {
    ready: Record<string, never>;
  };
  toWebview: {
    /** The run with its steps; null while it is not loaded (offline, or no longer there). */
    workflow: { workflowId: string; workflow: Workflow | null };
  };
}
