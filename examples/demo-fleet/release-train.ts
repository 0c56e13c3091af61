/**
 * The demo's multi-agent run: a release bot starts a release workflow now and then (build, then
 * unit tests and lint side by side, then package, then publish), and two builders run its steps
 * from the workflow's queue. Unit tests share two CI runners (a semaphore) and publishing holds
 * the registry lock, so the Workflows, Queues and Coordination views all have something live to
 * show. Every step succeeds: the demo's failures are the flaky tester's, told once.
 */
import type { SwitchboardClient } from '../../client/client';
import { withLock, withPermit } from '../../client/coordination';
import type { Heartbeat } from '../../client/heartbeat';
import { Worker, type JobContext } from '../../client/worker';
import type { Job } from '../../protocol/types';

export const RELEASE_QUEUE = 'demo-release';
const WORKFLOW = 'release';

/** What the release train needs from the fleet around it. */
export interface TrainParts {
  client: SwitchboardClient;
  agent(agentId: string, metadata: Record<string, unknown>): Promise<Heartbeat>;
  done(heartbeat: Heartbeat, status: 'completed' | 'cancelled'): Promise<void>;
  sleep(ms: number): Promise<void>;
  running(): boolean;
}

/** How long each step works, in demo milliseconds (scaled by the fleet's pace through sleep). */
const STEP_MS: Record<string, number> = { build: 3_000, 'unit-tests': 4_000, lint: 2_000, package: 2_500, publish: 2_000 };

export function releaseSteps(version: string) {
  return [
    { name: 'build', queue: RELEASE_QUEUE, input: { version } },
    { name: 'unit-tests', queue: RELEASE_QUEUE, dependsOn: ['build'] },
    { name: 'lint', queue: RELEASE_QUEUE, dependsOn: ['build'] },
    { name: 'package', queue: RELEASE_QUEUE, dependsOn: ['unit-tests', 'lint'] },
    { name: 'publish', queue: RELEASE_QUEUE, dependsOn: ['package'] },
  ];
}

/** Starts a release every half minute while the fleet runs. */
export async function releaseBot({ client, agent, done, sleep, running }: TrainParts): Promise<void> {
  const hb = await agent('release-bot', { workflow: WORKFLOW, role: 'release manager' });
  for (let n = 1; running(); n++) {
    const version = `1.4.${n}`;
    await hb.update({ currentTask: `Releasing ${version}`, progress: 0 });
    await client.workflows.start({ name: `release ${version}`, steps: releaseSteps(version) });
    await sleep(30_000);
  }
  await done(hb, 'completed');
}

/** A builder: a Worker on the release queue whose heartbeat says which step it runs. */
export async function builder(parts: TrainParts, agentId: string): Promise<Worker> {
  const { client, agent, sleep } = parts;
  const hb = await agent(agentId, { workflow: WORKFLOW, role: 'builder' });
  const run = async (job: Job, { step }: JobContext) => {
    const name = step?.step ?? 'job';
    await hb.update({ currentTask: `${name} of ${step?.workflowId ?? job.jobId}`, progress: 0.5 });
    const work = () => sleep(STEP_MS[name] ?? 1_000);
    if (name === 'unit-tests') await withPermit(client, 'ci-runners', 2, work, { owner: agentId });
    else if (name === 'publish') await withLock(client, 'npm-registry', work, { owner: agentId });
    else await work();
    await hb.update({ currentTask: 'Waiting for a release step', progress: 0 });
    return { step: name, by: agentId };
  };
  const worker = new Worker(client, RELEASE_QUEUE, run, { consumer: agentId });
  worker.on('error', () => {}); // the daemon may restart under the demo: the worker receives again
  return worker.start();
}
