/** Workflows across crashes and daemons: kill -9 of the daemon and of a worker mid-step, two daemons advancing one run. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SwitchboardClient } from '../../client/client';
import type { Workflow, WorkflowStepPayload } from '../../protocol/types';
import { terminate, waitForOutput } from '../helpers/child-process';
import { startTestDaemon, useDaemon, type DaemonEnv, type TestDaemon } from '../helpers/daemon';
import { spawnDaemon } from '../helpers/daemon-process';
import { record } from '../helpers/events';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { serveSteps } from '../helpers/step-workers';
import { tempDirPerTest } from '../helpers/temp-dir';

/** Resolves with the workflow once a workflow.completed for it was pushed to this client. */
async function completion(client: SwitchboardClient, workflowId: string): Promise<() => Promise<Workflow>> {
  const log = await record(client, ['workflows']);
  return async () => {
    await log.next((e) => e.type === 'workflow.completed' && (e.data as { workflowId: string }).workflowId === workflowId, 20_000);
    return (await client.workflows.get({ workflowId }))!;
  };
}

describe('workflows across crashes', function () {
  this.timeout(30_000);

  describe('kill -9 of the daemon', () => {
    let stateDir: string;
    tempDirPerTest('sb-wf-restart-', (dir) => (stateDir = dir));

    it('loses nothing: a step held across the crash is acked through the next daemon and the run goes on', async () => {
      const redis: TestRedis = await startRedis();
      try {
        const first = await spawnDaemon(stateDir, ['--redis', redis.url]);
        let client = await SwitchboardClient.connect({ url: first.url, token: first.token, reconnect: false });
        const wf = await client.workflows.start({
          name: 'survive',
          steps: [
            { name: 'a', queue: 'crash-q' },
            { name: 'b', queue: 'crash-q', dependsOn: ['a'] },
            { name: 'c', queue: 'crash-q', dependsOn: ['b'] },
          ],
        });
        const a = (await client.queues.receive({ queue: 'crash-q', consumer: 'w' }))!;
        await client.queues.ack({ queue: 'crash-q', jobId: a.jobId, receipt: a.receipt!, result: 'A' });
        const b = (await client.queues.receive({ queue: 'crash-q', consumer: 'w' }))!;
        client.close();
        first.child.kill('SIGKILL');
        assert.equal(await first.exited, 'SIGKILL');

        const second = await spawnDaemon(stateDir, ['--redis', redis.url]);
        client = await SwitchboardClient.connect({ url: second.url, token: second.token, reconnect: false });
        const done = await completion(client, wf.workflowId);
        assert.equal((await client.workflows.get({ workflowId: wf.workflowId }))!.steps[1]!.state, 'running');
        await client.queues.ack({ queue: 'crash-q', jobId: b.jobId, receipt: b.receipt!, result: 'B' });
        const c = (await client.queues.receive({ queue: 'crash-q', consumer: 'w' }))!;
        assert.deepEqual((c.payload as WorkflowStepPayload).results, { b: 'B' });
        await client.queues.ack({ queue: 'crash-q', jobId: c.jobId, receipt: c.receipt! });
        const finished = await done();
        assert.deepEqual(
          finished.steps.map((s) => [s.state, s.attempts]),
          [['completed', 1], ['completed', 1], ['completed', 1]],
        );
        assert.equal((await client.queues.stats({ queue: 'crash-q' })).completedTotal, 3, 'each step ran once');
        client.close();
        second.child.kill('SIGTERM');
        assert.equal(await second.exited, 0);
      } finally {
        await redis.stop();
      }
    });
  });

  describe('kill -9 of a worker', () => {
    let env: DaemonEnv;
    useDaemon((e) => (env = e));

    it('a step whose worker dies runs again after its timeoutMs, and the run completes with each step run once per attempt', async () => {
      const { client, d } = env;
      const queue = 'doomed-q';
      const wf = await client.workflows.start({
        name: 'worker crash',
        steps: [
          { name: 'a', queue, timeoutMs: 500 },
          { name: 'b', queue, dependsOn: ['a'] },
        ],
      });
      const done = await completion(client, wf.workflowId);
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../fixtures/queue-worker.ts')], {
        env: { ...process.env, SB_URL: d.url, SB_TOKEN: d.token, QUEUE: queue, VISIBILITY_MS: '500' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        await waitForOutput(child, new RegExp(`holding ${wf.workflowId}:a`), 'worker');
        child.kill('SIGKILL');
        const workers = serveSteps(client, [queue], (p) => p.step);
        const finished = await done();
        await workers.stop();
        assert.deepEqual(Object.fromEntries(workers.runs), { a: 1, b: 1 }, 'the survivor ran each step once');
        assert.equal(finished.steps[0]!.attempts, 2, 'the dead worker\'s delivery was the first attempt');
        assert.equal(finished.steps[1]!.attempts, 1);
        assert.deepEqual(workers.payloads.get('b')!.results, { a: 'a' });
      } finally {
        await terminate(child);
      }
    });
  });

  describe('two daemons on one Redis', () => {
    let redis: TestRedis;
    let one: TestDaemon;
    let two: TestDaemon;
    before(async () => {
      redis = await startRedis();
      [one, two] = await Promise.all([startTestDaemon(redis.url), startTestDaemon(redis.url)]);
    });
    after(async () => {
      await Promise.all([one.stop(), two.stop()]);
      await redis.stop();
    });

    it('advance one workflow together: each daemon\'s workers ack steps whose dependents the other\'s receive', async () => {
      const [onOne, onTwo] = await Promise.all([one.client(), two.client()]);
      const steps = Array.from({ length: 6 }, (_, i) => ({ name: `s${i}`, queue: i % 2 ? 'odd' : 'even', dependsOn: i ? [`s${i - 1}`] : [] }));
      const wf = await onOne.workflows.start({ name: 'relay', steps });
      const done = await completion(onTwo, wf.workflowId);
      const evens = serveSteps(onOne, ['even'], (p) => `${p.step} on one`);
      const odds = serveSteps(onTwo, ['odd'], (p) => `${p.step} on two`);
      const finished = await done();
      await Promise.all([evens.stop(), odds.stop()]);
      assert.deepEqual([...evens.runs.keys()], ['s0', 's2', 's4']);
      assert.deepEqual([...odds.runs.keys()], ['s1', 's3', 's5']);
      assert.deepEqual(odds.payloads.get('s5')!.results, { s4: 's4 on one' });
      assert.ok(finished.steps.every((s) => s.state === 'completed' && s.attempts === 1));
    });
  });
});
