/**
 * Messages of the workflow graph. Each load of the page says `ready`; the host answers with the
 * run as it stands, then sends it again each time a push moved it. A click on a step asks for the
 * outcomes its dispatches recorded (correlationId `<workflowId>:<step>`).
 */
import type { OutcomeEvent, Workflow } from '../../protocol/types';

export interface WorkflowGraphProtocol {
  requests: {
    stepOutcomes: [{ step: string }, OutcomeEvent[]];
  };
  toHost: {
    ready: Record<string, never>;
  };
  toWebview: {
    /** The run with its steps; null while it is not loaded (offline, or no longer there). */
    workflow: { workflowId: string; workflow: Workflow | null };
  };
}
