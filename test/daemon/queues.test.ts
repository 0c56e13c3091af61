/** Work queues (SPEC "Work queues") against a real redis-server: order, idempotency, delays, visibility, receipts, retries, dead letters. */
import assert from 'node:assert/strict';
import { redisClient } from '../helpers/redis-server';
import { MAX_DELAY_MS } from '../../protocol/limits';
import type { SwitchboardClient } from '../../client/client';
import { ErrorCode } from '../../protocol/errors';
import type { Job, QueueSummary } from '../../protocol/types';
import { rejectsWith } from '../helpers/assert-rpc';
import { useDaemon, type DaemonEnv } from '../helpers/daemon';
import { record } from '../helpers/events';

describe('work queues', () => {
  let env: DaemonEnv;
  let client: SwitchboardClient;
  useDaemon((e) => ({ client } = env = e));
  let n = 0;
  /** A fresh queue name per test, so tests share one daemon without sharing jobs. */
  const fresh = () => `q${++n}-${Date.now()}`;

  it('enqueues with defaults and delivers with a receipt, attempts + 1 and a visibility deadline', async () => {
    const queue = fresh();
    const job = await client.queues.enqueue({ queue, payload: { task: 'build', n: 1 } });
    assert.equal(job.state, 'waiting');
    assert.equal(job.priority, 'normal');
    assert.equal(job.attempts, 0);
    assert.equal(job.maxAttempts, 3);
    assert.deepEqual(job.payload, { task: 'build', n: 1 });
    assert.equal(job.receipt, undefined);
    const got = await client.queues.receive({ queue, consumer: 'w1', visibilityMs: 5000 });
    assert.ok(got);
    assert.equal(got.jobId, job.jobId);
    assert.equal(got.state, 'active');
    assert.equal(got.attempts, 1);
    assert.equal(got.consumer, 'w1');
    assert.ok(got.receipt);
    assert.ok(got.visibleUntil! - Date.now() > 4000 && got.visibleUntil! - Date.now() <= 5100, `visibleUntil ${got.visibleUntil}`);
    assert.equal(await client.queues.receive({ queue, consumer: 'w2' }), null, 'an active job is invisible to others');
    const done = await client.queues.ack({ queue, jobId: job.jobId, receipt: got.receipt!, result: { ok: true } });
    assert.equal(done.state, 'completed');
    assert.deepEqual(done.result, { ok: true });
    assert.ok(done.finishedAt);
    assert.deepEqual(await client.queues.stats({ queue }), {
      waiting: { high: 0, normal: 0, low: 0 },
      delayed: 0,
      active: 0,
      completed: 1,
      dead: 0,
      completedTotal: 1,
      maxLength: 1_000_000,
    });
  });

  it('delivers high before normal before low, first in first out within each', async () => {
    const queue = fresh();
    const order = ['low', 'normal', 'high', 'low', 'high', 'normal'] as const;
    for (const [i, priority] of order.entries()) await client.queues.enqueue({ queue, payload: i, priority, jobId: `j${i}` });
    const jobs = await client.queues.receive({ queue, consumer: 'w', count: 10 });
    assert.deepEqual(
      jobs.map((j) => j.jobId),
      ['j2', 'j4', 'j1', 'j5', 'j0', 'j3'],
    );
    assert.deepEqual(await client.queues.receive({ queue, consumer: 'w', count: 5 }), [], 'with count, an empty array');
  });

  it('keeps first-in first-out within a priority under concurrent producers and consumers, each job delivered once', async () => {
    const queue = fresh();
    const producers = await Promise.all([1, 2, 3, 4].map(() => env.d.client()));
    // each producer's jobs go in its own order; all producers at once
    await Promise.all(
      producers.map(async (p, k) => {
        for (let i = 0; i < 50; i++) await p.queues.enqueue({ queue, payload: { k, i }, jobId: `p${k}-${i}` });
      }),
    );
    const consumers = await Promise.all([1, 2, 3, 4].map(() => env.d.client()));
    const seen: Job[] = [];
    await Promise.all(
      consumers.map(async (c, k) => {
        for (;;) {
          const jobs = await c.queues.receive({ queue, consumer: `c${k}`, count: 7 });
          if (jobs.length === 0) return;
          seen.push(...jobs);
          await Promise.all(jobs.map((j) => c.queues.ack({ queue, jobId: j.jobId, receipt: j.receipt! })));
        }
      }),
    );
    assert.equal(seen.length, 200);
    assert.equal(new Set(seen.map((j) => j.jobId)).size, 200, 'no job delivered twice');
    // delivery order (by receipt, the queue's delivery counter) keeps each producer's order
    const byReceipt = [...seen].sort((a, b) => Number(a.receipt) - Number(b.receipt));
    for (let k = 0; k < 4; k++) {
      const mine = byReceipt.filter((j) => (j.payload as { k: number }).k === k).map((j) => (j.payload as { i: number }).i);
      assert.deepEqual(mine, [...mine].sort((a, b) => a - b), `producer ${k}'s jobs in order`);
    }
  });

  it('makes one job of the same jobId twice, changing nothing', async () => {
    const queue = fresh();
    const first = await client.queues.enqueue({ queue, payload: 'a', jobId: 'same', priority: 'high' });
    const again = await client.queues.enqueue({ queue, payload: 'b', jobId: 'same', priority: 'low' });
    assert.deepEqual(again, first);
    // the same in one batch, coalesced into one script call
    const both = await Promise.all([
      client.queues.enqueue({ queue, payload: 'c', jobId: 'twin' }),
      client.queues.enqueue({ queue, payload: 'd', jobId: 'twin' }),
    ]);
    assert.deepEqual(both[1], both[0]);
    assert.equal(both[0].payload, 'c');
    const stats = await client.queues.stats({ queue });
    assert.equal(stats.waiting.high + stats.waiting.normal + stats.waiting.low, 2);
  });

  it('holds a delayed job until its time, then delivers it', async () => {
    const queue = fresh();
    const job = await client.queues.enqueue({ queue, payload: 'later', delayMs: 300 });
    assert.equal(job.state, 'delayed');
    assert.ok(job.runAt! - job.enqueuedAt === 300);
    assert.equal(await client.queues.receive({ queue, consumer: 'w' }), null);
    assert.equal((await client.queues.stats({ queue })).delayed, 1);
    // a blocking receive wakes by itself when the delay ends (no enqueue wakes it)
    const started = Date.now();
    const got = await client.queues.receive({ queue, consumer: 'w', waitMs: 5000 });
    assert.equal(got?.jobId, job.jobId);
    assert.ok(Date.now() >= job.runAt! - 20, 'not before its time');
    assert.ok(Date.now() - started < 2000, 'soon after it');
  });

  it('delivers again when the visibility runs out: a new receipt, attempts + 1, the stale receipt refused and nothing changed', async () => {
    const queue = fresh();
    const job = await client.queues.enqueue({ queue, payload: 'x' });
    const first = (await client.queues.receive({ queue, consumer: 'slow', visibilityMs: 200 }))!;
    const second = (await client.queues.receive({ queue, consumer: 'fast', waitMs: 5000 }))!;
    assert.equal(second.jobId, job.jobId);
    assert.equal(second.attempts, 2);
    assert.notEqual(second.receipt, first.receipt);
    assert.match(second.lastError!, /visibility ran out \(delivery 1 to slow\)/);
    await rejectsWith(client.queues.ack({ queue, jobId: job.jobId, receipt: first.receipt! }), ErrorCode.Conflict, /not held with receipt/);
    await rejectsWith(client.queues.extend({ queue, jobId: job.jobId, receipt: first.receipt!, visibilityMs: 1000 }), ErrorCode.Conflict);
    await rejectsWith(client.queues.nack({ queue, jobId: job.jobId, receipt: first.receipt! }), ErrorCode.Conflict);
    const stats = await client.queues.stats({ queue });
    assert.equal(stats.active, 1, 'still held by the second delivery');
    const done = await client.queues.ack({ queue, jobId: job.jobId, receipt: second.receipt! });
    assert.equal(done.state, 'completed');
    assert.deepEqual(await client.queues.ack({ queue, jobId: job.jobId, receipt: second.receipt! }), done, 'a repeated ack answers the same');
    await rejectsWith(client.queues.ack({ queue, jobId: 'nope', receipt: '1' }), ErrorCode.NotFound);
  });

  it('extends a lease so the job is not delivered again', async () => {
    const queue = fresh();
    await client.queues.enqueue({ queue, payload: 1 });
    const held = (await client.queues.receive({ queue, consumer: 'w', visibilityMs: 300 }))!;
    const extended = await client.queues.extend({ queue, jobId: held.jobId, receipt: held.receipt!, visibilityMs: 10_000 });
    assert.ok(extended.visibleUntil! > held.visibleUntil! + 5000);
    assert.equal(extended.receipt, held.receipt);
    // past the first deadline, another consumer still gets nothing
    assert.equal(await client.queues.receive({ queue, consumer: 'other', waitMs: 600 }), null);
  });

  it('nacks with exponential backoff and jitter, then dead after maxAttempts, with the last error; replay and purge', async () => {
    const queue = fresh();
    const events = await record(client, ['queues']);
    const job = await client.queues.enqueue({ queue, payload: 'flaky', maxAttempts: 3, backoff: { type: 'exponential', delayMs: 100 } });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const got = (await client.queues.receive({ queue, consumer: 'w', waitMs: 5000 }))!;
      assert.equal(got.attempts, attempt);
      const nacked = await client.queues.nack({ queue, jobId: job.jobId, receipt: got.receipt!, error: `boom ${attempt}` });
      if (attempt < 3) {
        assert.equal(nacked.state, 'delayed');
        waits.push(nacked.runAt! - Date.now());
        assert.equal(nacked.lastError, `boom ${attempt}`);
      } else {
        assert.equal(nacked.state, 'dead');
        assert.equal(nacked.lastError, 'boom 3');
      }
    }
    // 100 then 200 ms, each with up to 20 % more (measured against our clock: a few ms either way)
    assert.ok(waits[0]! > 60 && waits[0]! <= 125, `first wait ${waits[0]}`);
    assert.ok(waits[1]! > 160 && waits[1]! <= 245, `second wait ${waits[1]}`);
    const dead = await client.queues.dead({ queue });
    assert.deepEqual(dead.map((j) => j.jobId), [job.jobId]);
    assert.equal(dead[0]!.lastError, 'boom 3');
    const deadEvent = await events.next((e) => e.topic === 'queues' && e.type === 'job.dead' && (e.data as Job).jobId === job.jobId);
    assert.equal((deadEvent.data as Job).lastError, 'boom 3');

    const replayed = await client.queues.replay({ queue, jobId: job.jobId });
    assert.equal(replayed.state, 'waiting');
    assert.equal(replayed.attempts, 0);
    await rejectsWith(client.queues.replay({ queue, jobId: job.jobId }), ErrorCode.Conflict, /not dead/);
    const again = (await client.queues.receive({ queue, consumer: 'w' }))!;
    assert.equal(again.attempts, 1);
    await client.queues.nack({ queue, jobId: job.jobId, receipt: again.receipt!, retry: false, error: 'give up' });
    assert.equal((await client.queues.stats({ queue })).dead, 1);
    assert.deepEqual(await client.queues.purge({ queue, state: 'dead' }), { removed: 1 });
    assert.deepEqual(await client.queues.dead({ queue }), []);
    assert.equal((await client.queues.stats({ queue })).dead, 0);
    await events.next((e) => e.type === 'queue.purged' && (e.data as { queue: string }).queue === queue);
  });

  it('fixed backoff waits the same each time', async () => {
    const queue = fresh();
    const job = await client.queues.enqueue({ queue, payload: 0, maxAttempts: 5, backoff: { type: 'fixed', delayMs: 150 } });
    for (let i = 0; i < 2; i++) {
      const got = (await client.queues.receive({ queue, consumer: 'w', waitMs: 5000 }))!;
      const nacked = await client.queues.nack({ queue, jobId: job.jobId, receipt: got.receipt! });
      const wait = nacked.runAt! - Date.now();
      assert.ok(wait > 110 && wait <= 185, `wait ${wait}`);
    }
  });

  it('goes dead when the visibility runs out on the last attempt', async () => {
    const queue = fresh();
    const events = await record(client, ['queues']);
    const job = await client.queues.enqueue({ queue, payload: 0, maxAttempts: 1 });
    await client.queues.receive({ queue, consumer: 'crashy', visibilityMs: 100 });
    // the sweeper visits the queue once the delivery falls due, with no receiver calling
    const dead = await events.next((e) => e.type === 'job.dead' && (e.data as Job).jobId === job.jobId, 5000);
    assert.match((dead.data as Job).lastError!, /visibility ran out/);
  });

  it('refuses jobs past maxLength with -32006, changing nothing', async () => {
    const queue = fresh();
    const stats = await client.queues.configure({ queue, maxLength: 2 });
    assert.equal(stats.maxLength, 2);
    await client.queues.enqueue({ queue, payload: 1 });
    await client.queues.enqueue({ queue, payload: 2, delayMs: 60_000 });
    await rejectsWith(client.queues.enqueue({ queue, payload: 3 }), ErrorCode.RateLimited, /is full \(maxLength 2\)/);
    const after = await client.queues.stats({ queue });
    assert.equal(after.waiting.normal + after.delayed, 2);
    // an active job still counts; a completed one does not
    const got = (await client.queues.receive({ queue, consumer: 'w' }))!;
    await rejectsWith(client.queues.enqueue({ queue, payload: 3 }), ErrorCode.RateLimited);
    await client.queues.ack({ queue, jobId: got.jobId, receipt: got.receipt! });
    assert.equal((await client.queues.enqueue({ queue, payload: 3 })).state, 'waiting');
  });

  it('wakes a blocked receive by push when a job arrives, from another connection', async () => {
    const queue = fresh();
    const worker = await env.d.client();
    const waiting = worker.queues.receive({ queue, consumer: 'w', waitMs: 10_000, count: 3 });
    const events = await record(client, ['queues']);
    await client.queues.enqueue({ queue, payload: 'now' });
    const started = Date.now();
    const jobs = await waiting;
    assert.equal(jobs.length, 1);
    assert.ok(Date.now() - started < 1000);
    await events.next((e) => e.type === 'queue.enqueued' && (e.data as { queue: string }).queue === queue);
  });

  it('lists queues with their counts, and pushes queue.stats when counts change', async () => {
    const queue = fresh();
    const events = await record(client, ['queues']);
    await client.queues.enqueue({ queue, payload: 1, priority: 'high' });
    await client.queues.enqueue({ queue, payload: 2, priority: 'low' });
    const listed = (await client.queues.list()).find((q) => q.queue === queue);
    assert.ok(listed);
    assert.deepEqual(listed.waiting, { high: 1, normal: 0, low: 1 });
    const pushed = await events.next((e) => e.type === 'queue.stats' && (e.data as QueueSummary).queue === queue && (e.data as QueueSummary).waiting.low === 1);
    assert.equal((pushed.data as QueueSummary).waiting.high, 1);
    const got = (await client.queues.receive({ queue, consumer: 'w' }))!;
    await events.next((e) => e.type === 'queue.stats' && (e.data as QueueSummary).queue === queue && (e.data as QueueSummary).active === 1);
    await client.queues.ack({ queue, jobId: got.jobId, receipt: got.receipt! });
    await events.next((e) => e.type === 'queue.stats' && (e.data as QueueSummary).queue === queue && (e.data as QueueSummary).completedTotal === 1);
  });

  it('pushes every queue\'s counts again to the connection that read queue.list, changed or not (it may hold newer ones than the last push), and not to the others', async () => {
    const queue = fresh();
    const marker = fresh();
    const events = await record(client, ['queues']);
    const other = await env.d.client();
    const others = await record(other, ['queues']);
    const statsOf = (name: string) => (e: { type: string; data: unknown }) => e.type === 'queue.stats' && (e.data as QueueSummary).queue === name;
    await client.queues.enqueue({ queue, payload: 1 });
    const first = await events.next(statsOf(queue));
    await others.next(statsOf(queue));
    const before = events.events.length;
    const othersBefore = others.events.length;
    await client.queues.list(); // nothing changed since the push
    const again = await events.next((e) => events.events.indexOf(e) >= before && statsOf(queue)(e), 5000);
    assert.deepEqual(again.data, first.data);
    // A later change reaches the other connection after anything that sample would have sent it.
    await client.queues.enqueue({ queue: marker, payload: 1 });
    await others.next((e) => others.events.indexOf(e) >= othersBefore && statsOf(marker)(e), 5000);
    assert.equal(others.events.slice(othersBefore).filter(statsOf(queue)).length, 0, 'the other connection\'s figures were as pushed: nothing again');
    other.close();
  });

  it('purges waiting and delayed jobs, never active ones', async () => {
    const queue = fresh();
    for (let i = 0; i < 3; i++) await client.queues.enqueue({ queue, payload: i, priority: (['high', 'normal', 'low'] as const)[i] });
    await client.queues.enqueue({ queue, payload: 'd', delayMs: 60_000 });
    await client.queues.enqueue({ queue, payload: 'a' });
    const held = (await client.queues.receive({ queue, consumer: 'w' }))!;
    assert.deepEqual(await client.queues.purge({ queue, state: 'waiting' }), { removed: 3 });
    assert.deepEqual(await client.queues.purge({ queue, state: 'delayed' }), { removed: 1 });
    const stats = await client.queues.stats({ queue });
    assert.deepEqual([stats.waiting, stats.delayed, stats.active], [{ high: 0, normal: 0, low: 0 }, 0, 1]);
    assert.equal((await client.queues.ack({ queue, jobId: held.jobId, receipt: held.receipt! })).state, 'completed');
  });

  it('refuses bad params naming the field and the rule, changing nothing', async () => {
    const queue = fresh();
    const bad = [
      [{ queue: 'has space', payload: 1 }, 'queue'],
      [{ queue, payload: 1, priority: 'urgent' }, 'priority'],
      [{ queue, payload: 1, maxAttempts: 0 }, 'maxAttempts'],
      [{ queue, payload: 1, delayMs: -1 }, 'delayMs'],
      [{ queue, payload: 1, backoff: { type: 'linear', delayMs: 5 } }, 'backoff'],
    ] as const;
    for (const [params, field] of bad) {
      const { error } = await env.d.rpc('queue.enqueue', params);
      assert.equal(error.code, ErrorCode.InvalidParams, JSON.stringify(params));
      assert.match(error.message, new RegExp(field), error.message);
    }
    const { error } = await env.d.rpc('queue.receive', { queue, consumer: 'w', count: 101 });
    assert.equal(error.code, ErrorCode.InvalidParams);
    assert.match(error.message, /count/);
    assert.deepEqual((await client.queues.list()).find((q) => q.queue === queue), undefined, 'no queue was made');
  });

  it('delivers lapsed deliveries again in the order they were first delivered', async () => {
    const queue = fresh();
    for (const jobId of ['a', 'b', 'c']) await client.queues.enqueue({ queue, payload: jobId, jobId });
    await client.queues.receive({ queue, consumer: 'lost', visibilityMs: 100, count: 3 });
    await client.queues.enqueue({ queue, payload: 'd', jobId: 'd' });
    assert.equal((await client.queues.receive({ queue, consumer: 'w' }))?.jobId, 'd', 'd waits while the others are held');
    const again = await client.queues.receive({ queue, consumer: 'w', count: 3, waitMs: 5000 });
    assert.deepEqual(again.map((j) => j.jobId), ['a', 'b', 'c']);
  });

  it('caps an exponential backoff at the longest delay', async () => {
    const queue = fresh();
    const job = await client.queues.enqueue({ queue, payload: 0, maxAttempts: 5, backoff: { type: 'exponential', delayMs: MAX_DELAY_MS } });
    const first = (await client.queues.receive({ queue, consumer: 'w' }))!;
    await client.queues.nack({ queue, jobId: job.jobId, receipt: first.receipt! });
    // move it due by hand, for a second failure (2 × the longest delay uncapped)
    const redis = redisClient(env.redis.url);
    try {
      await redis.zadd(`{sb:q:${queue}}:delayed`, 0, job.jobId);
      const second = (await client.queues.receive({ queue, consumer: 'w' }))!;
      const nacked = await client.queues.nack({ queue, jobId: job.jobId, receipt: second.receipt! });
      const wait = nacked.runAt! - Date.now();
      assert.ok(wait > MAX_DELAY_MS * 0.99 && wait <= MAX_DELAY_MS * 1.2 + 1000, `wait ${wait}`);
    } finally {
      redis.disconnect();
    }
  });

  it('at maxmemory refuses enqueues but still receives (a due delayed job included), extends, acks and nacks', async () => {
    const queue = fresh();
    await client.queues.enqueue({ queue, payload: 1, jobId: 'one' });
    await client.queues.enqueue({ queue, payload: 2, jobId: 'two' });
    await client.queues.enqueue({ queue, payload: 3, jobId: 'three' });
    await client.queues.enqueue({ queue, payload: 'later', jobId: 'later', delayMs: 60_000 });
    const held = (await client.queues.receive({ queue, consumer: 'w' }))!;
    const redis = redisClient(env.redis.url);
    try {
      // the delayed job falls due now (by hand: the sweeper is not due to visit for a minute)
      await redis.zadd(`{sb:q:${queue}}:delayed`, 0, 'later');
      await redis.config('SET', 'maxmemory', '1');
      await rejectsWith(client.queues.enqueue({ queue, payload: 'x' }), ErrorCode.RedisUnavailable, /out of memory/i);
      const extended = await client.queues.extend({ queue, jobId: held.jobId, receipt: held.receipt!, visibilityMs: 60_000 });
      assert.equal(extended.state, 'active');
      assert.equal((await client.queues.ack({ queue, jobId: held.jobId, receipt: held.receipt! })).state, 'completed');
      const next = await client.queues.receive({ queue, consumer: 'w', count: 5 });
      assert.deepEqual(next.map((j) => j.jobId).sort(), ['later', 'three', 'two']);
      const nacked = await client.queues.nack({ queue, jobId: 'two', receipt: next.find((j) => j.jobId === 'two')!.receipt!, retry: false });
      assert.equal(nacked.state, 'dead');
    } finally {
      await redis.config('SET', 'maxmemory', '0');
      redis.disconnect();
    }
  });
});
