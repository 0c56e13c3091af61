/** Plain queue.receive / ack loops that run workflow steps in tests, counting each execution. */
import type { SwitchboardClient } from '../../client/client';
import type { Job, WorkflowStepPayload } from '../../protocol/types';

/** What a step does: its return value is the ack's result; a throw nacks (with retry unless `noRetry`). */
export type StepRun = (payload: WorkflowStepPayload, job: Job) => unknown;

export interface StepWorkers {
  /** Executions per step name (every delivery run, whatever its end). */
  runs: Map<string, number>;
  /** Payloads as received, per step name (the latest). */
  payloads: Map<string, WorkflowStepPayload>;
  stop(): Promise<void>;
}

/** Runs `concurrency` receive loops per queue until stopped. */
export function serveSteps(client: SwitchboardClient, queues: string[], run: StepRun = () => null, concurrency = 1): StepWorkers {
  const runs = new Map<string, number>();
  const payloads = new Map<string, WorkflowStepPayload>();
  let stopping = false;
  const loop = async (queue: string, n: number) => {
    while (!stopping) {
      const job = await client.queues.receive({ queue, consumer: `${queue}-w${n}`, waitMs: 100 });
      if (!job) continue;
      const payload = job.payload as WorkflowStepPayload;
      runs.set(payload.step, (runs.get(payload.step) ?? 0) + 1);
      payloads.set(payload.step, payload);
      try {
        const result = await run(payload, job);
        await client.queues.ack({ queue, jobId: job.jobId, receipt: job.receipt!, result: result ?? null });
      } catch (error) {
        await client.queues.nack({ queue, jobId: job.jobId, receipt: job.receipt!, error: (error as Error).message });
      }
    }
  };
  const loops = queues.flatMap((queue) => Array.from({ length: concurrency }, (_, n) => loop(queue, n)));
  return {
    runs,
    payloads,
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}
