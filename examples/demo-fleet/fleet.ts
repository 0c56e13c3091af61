/**
 * A small fleet that shows everything Switchboard watches: agents that beat with progress and
 * tasks, signal each other, one that fails, one that goes silent and expires, one that asks a
 * human for approval and waits, and a release workflow run by builders that share CI runners and
 * a registry lock (release-train.ts). `pace` scales every delay (1 = human speed; tests use less).
 */
import { Heartbeat } from '../../client/heartbeat';
import type { SwitchboardClient } from '../../client/client';
import type { Worker } from '../../client/worker';
import { builder, releaseBot, type TrainParts } from './release-train';

export interface Fleet {
  readonly agentIds: readonly string[];
  stop(): Promise<void>;
}

const WORKFLOW = 'feature-login';

export function runFleet(client: SwitchboardClient, pace = 1): Fleet {
  const stopped = new AbortController();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        stopped.signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms * pace);
      stopped.signal.addEventListener('abort', wake);
    });
  const running = () => !stopped.signal.aborted;
  const heartbeats = new Set<Heartbeat>();
  const agent = async (agentId: string, metadata: Record<string, unknown>, ttlSeconds = 15) => {
    const heartbeat = new Heartbeat(client, agentId, { ttlSeconds, metadata, intervalMs: 2_000 * pace });
    heartbeat.on('error', () => {}); // the daemon may restart under the demo: the next beat retries
    heartbeats.add(heartbeat);
    await heartbeat.start();
    return heartbeat;
  };
  const done = async (heartbeat: Heartbeat, status: 'completed' | 'failed' | 'cancelled') => {
    heartbeats.delete(heartbeat);
    await heartbeat.stop(status).catch(() => {});
  };

  /** Plans work and hands tasks to the coders by signal. */
  const planner = async () => {
    const hb = await agent('planner', { workflow: WORKFLOW, role: 'planner', model: 'capable' });
    const tasks = ['Design login form', 'Add session store', 'Write auth middleware', 'Hook up OAuth'];
    for (let round = 0; running(); round++) {
      const task = tasks[round % tasks.length]!;
      await hb.update({ progress: (round % tasks.length) / tasks.length, currentTask: `Planning: ${task}` });
      await sleep(2_500);
      await client.signals.send({ from: 'planner', to: round % 2 ? 'coder-2' : 'coder-1', type: 'task.assigned', payload: { task, round } });
      await client.events.publish({ type: 'plan.step', data: { task, round } });
    }
    await done(hb, 'cancelled');
  };

  /** Waits for tasks and works through them. */
  const coder = async (agentId: string) => {
    const hb = await agent(agentId, { workflow: WORKFLOW, role: 'coder', model: 'cheap' });
    while (running()) {
      await hb.update({ currentTask: 'Waiting for a task', progress: 0 });
      const signal = await client.signals.wait({ agentId, type: 'task.assigned', timeoutMs: 10_000 * pace }).catch(() => null);
      if (!signal || !running()) continue;
      const { task } = signal.payload as { task: string };
      for (let step = 1; step <= 5 && running(); step++) {
        await hb.update({ progress: step / 5, currentTask: `${task} (${step}/5)` });
        await sleep(800);
      }
      await client.signals.send({ from: agentId, to: 'reviewer', type: 'review.requested', payload: { task } });
    }
    await done(hb, 'cancelled');
  };

  /** Asks a human before merging, and waits for the answer. */
  const reviewer = async () => {
    const hb = await agent('reviewer', { workflow: WORKFLOW, role: 'reviewer' });
    while (running()) {
      await hb.update({ currentTask: 'Waiting for work to review', progress: 0 });
      const signal = await client.signals.wait({ agentId: 'reviewer', type: 'review.requested', timeoutMs: 10_000 * pace }).catch(() => null);
      if (!signal || !running()) continue;
      const { task } = signal.payload as { task: string };
      await hb.update({ currentTask: `Awaiting approval to merge "${task}"`, progress: 0.9 });
      const decision = await client.approvals
        .request({
          agentId: 'reviewer',
          type: 'merge',
          risk: 'medium',
          timeoutMs: 600_000,
          context: { task, branch: `feat/${task.toLowerCase().replaceAll(' ', '-')}`, filesChanged: 4, testsPassing: true },
        })
        .catch(() => null);
      if (decision) await client.events.publish({ type: 'review.decision', data: { task, status: decision.status, by: decision.responder ?? null } });
    }
    await done(hb, 'cancelled');
  };

  /** Fails part-way, then tries again later. */
  const flakyTester = async () => {
    while (running()) {
      const hb = await agent('flaky-tester', { workflow: WORKFLOW, role: 'tester' });
      for (let step = 1; step <= 3 && running(); step++) {
        await hb.update({ progress: step / 4, currentTask: `Running integration suite ${step}/4` });
        await sleep(1_500);
      }
      await client.events.publish({ type: 'test.failed', data: { suite: 'integration', error: 'timeout talking to OAuth stub' } });
      await done(hb, 'failed');
      await sleep(20_000);
    }
  };

  /** Starts, reports once, then never beats again (as a hung process would): it expires. */
  const silentCrawler = async () => {
    await client.agents.start({ agentId: 'docs-crawler', ttlSeconds: Math.max(1, Math.round(5 * pace)), metadata: { role: 'crawler' } });
    await client.agents.beat({ agentId: 'docs-crawler', progress: 0.3, currentTask: 'Crawling docs.example.com' });
  };

  /** Broadcasts a stand-up now and then. */
  const coordinator = async () => {
    const hb = await agent('coordinator', { role: 'coordinator' });
    while (running()) {
      await hb.update({ currentTask: 'Watching the fleet', progress: 0.5 });
      await client.signals.broadcast({ from: 'coordinator', type: 'standup', payload: { at: new Date().toISOString() }, ttlSeconds: 30 });
      await sleep(15_000);
    }
    await done(hb, 'completed');
  };

  const train: TrainParts = { client, agent, done, sleep, running };
  const workers: Promise<Worker>[] = [];
  const builders = async () => {
    for (const id of ['builder-1', 'builder-2']) workers.push(builder(train, id));
    await Promise.all(workers);
  };

  const agents = [planner, () => coder('coder-1'), () => coder('coder-2'), reviewer, flakyTester, silentCrawler, coordinator, () => releaseBot(train), builders];
  for (const run of agents) {
    run().catch((error: unknown) => {
      // Once stopped, blocked calls end with the closed connection: that is not news.
      if (running()) process.stderr.write(`demo fleet: ${(error as Error).message}\n`);
    });
  }

  return {
    agentIds: ['planner', 'coder-1', 'coder-2', 'reviewer', 'flaky-tester', 'docs-crawler', 'coordinator', 'release-bot', 'builder-1', 'builder-2'],
    /** Ends every loop, lets the builders finish their steps, and stops the agents that are still up; blocked waits end when the client closes. */
    async stop() {
      stopped.abort();
      await Promise.all(workers.map(async (worker) => (await worker.catch(() => undefined))?.stop()));
      await Promise.all([...heartbeats].map((hb) => done(hb, 'cancelled')));
    },
  };
}
