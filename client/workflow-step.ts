/**
 * What a workflow step's job carries (workflow.start makes the job: payload `{workflowId, step,
 * input, results}`, job id `<workflowId>:<step>` or `:<run>` after a retryStep), and the fields that
 * tie what the step records to its workflow: pass `step.outcome` to `ActionDispatcher.dispatch`
 * (or to `client.outcomes.record`) so its outcomes carry the workflowId and the correlationId
 * `<workflowId>:<step>`.
 */
import type { Job, WorkflowStepPayload } from '../protocol/types';

export interface WorkflowStepContext extends WorkflowStepPayload {
  /** For dispatch options or outcome.record params. */
  outcome: { workflowId: string; correlationId: string };
}

/** The workflow step a job runs, or undefined for a job that is not one. */
export function workflowStepOf(job: Job): WorkflowStepContext | undefined {
  const payload = job.payload as Partial<WorkflowStepPayload> | null;
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { workflowId, step, results } = payload;
  if (typeof workflowId !== 'string' || typeof step !== 'string' || typeof results !== 'object' || results === null) return undefined;
  const correlationId = `${workflowId}:${step}`;
  // the job id is the step's own: a plain job whose payload merely looks like one is not a step
  if (job.jobId !== correlationId && !job.jobId.startsWith(`${correlationId}:`)) return undefined;
  return { workflowId, step, input: payload.input, results, outcome: { workflowId, correlationId } };
}
