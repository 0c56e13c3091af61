/** The SDK's Worker against a real daemon and redis-server: concurrency, acks and nacks, lease extension, graceful stop, a crashed worker. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from '../../client/worker';
import type { Job } from '../../protocol/types';
import { startTestDaemon, useDaemon, type DaemonEnv } from '../helpers/daemon';
import { terminate, waitForOutput } from '../helpers/child-process';

describe('SDK Worker', () => {
  let env: DaemonEnv;
  useDaemon((e) => (env = e));
  let n = 0;
  const fresh = () => `wq${++n}-${Date.now()}`;

  /** Resolves once the worker has emitted `event` `count` times. */
  const times = (worker: Worker, event: 'completed' | 'failed', count: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      worker.on(event, () => {
        if (++seen === count) resolve();
      });
    });

  it('runs at most `concurrency` jobs at once, acks results and nacks throws with their stack', async () => {
    const queue = fresh();
    const { client } = env;
    for (let i = 0; i < 12; i++) await client.queues.enqueue({ queue, payload: i, maxAttempts: 1, jobId: `j${i}` });
    let now = 0;
    let most = 0;
    const worker = new Worker(
      client,
      queue,
      async (job) => {
        now++;
        most = Math.max(most, now);
        await new Promise((resolve) => setTimeout(resolve, 20));
        now--;
        if (job.payload === 5) throw new Error('five is bad');
        return { doubled: (job.payload as number) * 2 };
      },
      { concurrency: 3, prefetch: 2 },
    );
    const done = Promise.all([times(worker, 'completed', 11), times(worker, 'failed', 1)]);
    worker.start();
    await done;
    await worker.stop();
    assert.equal(most, 3);
    const stats = await client.queues.stats({ queue });
    assert.equal(stats.completedTotal, 11);
    assert.equal(stats.dead, 1);
    const [dead] = await client.queues.dead({ queue });
    assert.equal(dead!.jobId, 'j5');
    assert.match(dead!.lastError!, /^Error: five is bad\n\s+at /, 'the stack is kept');
  });

  it('extends the lease while a job runs past its visibility, so nobody else gets it', async () => {
    const queue = fresh();
    const { client } = env;
    await client.queues.enqueue({ queue, payload: 'long' });
    let release!: () => void;
    let started!: (job: Job) => void;
    const running = new Promise<Job>((resolve) => (started = resolve));
    const worker = new Worker(client, queue, (job) => {
      started(job);
      return new Promise<void>((resolve) => (release = resolve));
    }, { visibilityMs: 300 });
    const completed = times(worker, 'completed', 1);
    worker.start();
    const job = await running;
    const other = await env.d.client();
    // three visibilities pass; a second consumer waiting all along gets nothing
    assert.equal(await other.queues.receive({ queue, consumer: 'thief', waitMs: 1000 }), null);
    release();
    await completed;
    await worker.stop();
    assert.equal((await client.queues.stats({ queue })).completedTotal, 1);
    assert.equal(job.attempts, 1);
  });

  it('stops gracefully: finishes what runs, hands back what it had not started (not counted as an attempt)', async () => {
    const queue = fresh();
    const { client } = env;
    for (let i = 0; i < 5; i++) await client.queues.enqueue({ queue, payload: i });
    let finish!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const worker = new Worker(client, queue, () => {
      started();
      return new Promise<void>((resolve) => (finish = resolve));
    }, { concurrency: 1, prefetch: 3 });
    worker.start();
    await running;
    assert.equal(worker.held, 4, 'one running, three prefetched');
    const stopped = worker.stop();
    finish();
    await stopped;
    assert.equal(worker.held, 0);
    const stats = await client.queues.stats({ queue });
    assert.equal(stats.completedTotal, 1, 'the running one finished');
    assert.equal(stats.active, 0);
    assert.equal(stats.waiting.normal, 4, 'the rest wait again');
    const next = await client.queues.receive({ queue, consumer: 'x', count: 4 });
    assert.deepEqual(next.map((j) => j.attempts), [1, 1, 1, 1], 'a handed-back delivery is not an attempt');
  });

  it('a job whose worker process is killed (kill -9) mid-job completes on another worker', async () => {
    const queue = fresh();
    const { client, d } = env;
    const job = await client.queues.enqueue({ queue, payload: 'survive' });
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../fixtures/queue-worker.ts')], {
      env: { ...process.env, SB_URL: d.url, SB_TOKEN: d.token, QUEUE: queue, VISIBILITY_MS: '500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await waitForOutput(child, new RegExp(`holding ${job.jobId}`), 'worker');
      child.kill('SIGKILL');
      const completed = new Promise<Job>((resolve) => {
        const worker = new Worker(client, queue, () => 'done by the survivor', { consumer: 'survivor' });
        worker.on('completed', (j) => {
          resolve(j);
          void worker.stop();
        });
        worker.start();
      });
      const got = await completed;
      assert.equal(got.jobId, job.jobId);
      assert.equal(got.attempts, 2);
      assert.match(got.lastError!, /visibility ran out \(delivery 1 to doomed\)/);
      assert.equal((await client.queues.stats({ queue })).completedTotal, 1);
    } finally {
      await terminate(child);
    }
  });

  describe('on a daemon that rate-limits its connection', () => {
    let limited: DaemonEnv;
    useDaemon((e) => (limited = e), { limits: { maxCallsPerSecondPerConnection: 40 } });

    it('sends refused acks again after retryAfterMs, so no job runs twice', async () => {
      const queue = fresh();
      // the producer goes through an unlimited daemon on the same Redis
      const unlimited = await startTestDaemon(limited.redis.url);
      try {
        const producer = await unlimited.client();
        // 150 acks and some receives on one connection: past the burst of 80 some are refused
        for (let i = 0; i < 150; i++) await producer.queues.enqueue({ queue, payload: i });
        const worker = new Worker(await limited.d.client(), queue, () => 'ok', { prefetch: 19 });
        const attempts: number[] = [];
        worker.on('completed', (job) => attempts.push(job.attempts));
        const done = times(worker, 'completed', 150);
        worker.start();
        await done;
        await worker.stop();
        assert.deepEqual(new Set(attempts), new Set([1]), 'every job completed on its first delivery');
        const metrics = await (await fetch(`${limited.d.httpUrl}/metrics`, { headers: { Authorization: `Bearer ${limited.d.token}` } })).text();
        assert.match(metrics, /switchboard_limit_hits_total\{limit="maxCallsPerSecondPerConnection"\} [1-9]/, 'some acks were refused');
        const stats = await producer.queues.stats({ queue });
        assert.equal(stats.completedTotal, 150);
        const kept = await producer.queues.receive({ queue, consumer: 'x' });
        assert.equal(kept, null, 'nothing left over');
      } finally {
        await unlimited.stop();
      }
    });
  });
});
