import assert from 'node:assert/strict';
import type { SwitchboardClient } from '../../client/client';
import { Worker } from '../../client/worker';
import type { AgentStatus, Approval, Job, StreamEvent } from '../../protocol/types';
import { useTwoDaemons, type TestDaemon } from '../helpers/daemon';
import { record } from '../helpers/events';

describe('two daemons sharing one Redis', () => {
  let a: TestDaemon;
  let b: TestDaemon;
  let onA: SwitchboardClient;
  let onB: SwitchboardClient;

  useTwoDaemons((env) => ({ a, b, onA, onB } = env));

  it('wakes a signal.wait on one daemon with a signal sent through the other', async () => {
    const waiting = onB.signals.wait({ agentId: 'cross-agent', timeoutMs: 30_000 });
    const log = await record(onB, ['signals']);
    const sent = await onA.signals.send({ from: 'x', to: 'cross-agent', type: 'go' });
    assert.deepEqual(await waiting, sent);
    await log.next((e) => e.type === 'signal.consumed');
  });

  it('wakes a queue.receive on one daemon with a job enqueued through the other', async () => {
    const waiting = onB.queues.receive({ queue: 'cross-q', consumer: 'on-b', waitMs: 30_000 });
    // The receive must be parked on B before the enqueue, or it would simply find the job: a call
    // made after it on the same connection is answered after its first look at Redis (one Redis
    // connection, replies in order).
    await onB.queues.stats({ queue: 'cross-q' });
    const job = await onA.queues.enqueue({ queue: 'cross-q', payload: 'hello' });
    assert.equal((await waiting)?.jobId, job.jobId);
  });

  it('shares a queue between competing workers on both daemons: each job completed once, never held by two at once', async () => {
    const queue = 'competing';
    const jobs = 300;
    await Promise.all(Array.from({ length: jobs }, (_, i) => onA.queues.enqueue({ queue, payload: i, jobId: `c${i}` })));
    const holders = new Map<string, number>();
    const completedBy = new Map<string, string>();
    let overlaps = 0;
    const clients = await Promise.all([a.client(), a.client(), b.client(), b.client()]);
    let finished!: () => void;
    const allDone = new Promise<void>((resolve) => (finished = resolve));
    const workers = clients.map((c, k) =>
      new Worker(c, queue, async (job: Job) => {
        holders.set(job.jobId, (holders.get(job.jobId) ?? 0) + 1);
        if (holders.get(job.jobId)! > 1) overlaps++;
        await new Promise((resolve) => setImmediate(resolve));
        holders.set(job.jobId, holders.get(job.jobId)! - 1);
        if (completedBy.has(job.jobId)) overlaps++;
        completedBy.set(job.jobId, `w${k}`);
        if (completedBy.size === jobs) finished();
      }, { consumer: `w${k}`, concurrency: 4, prefetch: 4 }).start(),
    );
    await allDone;
    await Promise.all(workers.map((w) => w.stop()));
    assert.equal(overlaps, 0);
    assert.equal(completedBy.size, jobs);
    const perWorker = [0, 1, 2, 3].map((k) => [...completedBy.values()].filter((w) => w === `w${k}`).length);
    assert.ok(perWorker[0]! + perWorker[1]! > 0 && perWorker[2]! + perWorker[3]! > 0, `both daemons' workers took jobs: ${perWorker}`);
    const stats = await onB.queues.stats({ queue });
    assert.equal(stats.completedTotal, jobs);
    assert.equal(stats.active + stats.waiting.normal, 0);
  });

  it('resolves an approval.request on one daemon with an answer given on the other', async () => {
    const logB = await record(onB, ['approvals']);
    const asking = onA.approvals.request({ agentId: 'cross', type: 'deploy', context: {}, timeoutMs: 60_000 });
    const requested = await logB.next((e) => e.type === 'approval.requested');
    const { requestId } = requested.data as Approval;
    assert.ok((await onB.approvals.pending()).some((p) => p.requestId === requestId));
    await onB.approvals.respond({ requestId, approved: true, responder: 'reviewer-on-b' });
    const decided = await asking;
    assert.equal(decided.status, 'approved');
    assert.equal(decided.responder, 'reviewer-on-b');
  });

  it('delivers agent changes and published events to subscribers of both', async () => {
    const [logA, logB] = await Promise.all([record(onA, ['agents', 'events:cross']), record(onB, ['agents', 'events:cross'])]);
    await onA.agents.start({ agentId: 'seen-everywhere' });
    const { id } = await onB.events.publish({ type: 'cross', data: { from: 'b' } });
    for (const log of [logA, logB]) {
      await log.next((e) => e.type === 'agent.started' && (e.data as AgentStatus).agentId === 'seen-everywhere');
      await log.next((e) => e.topic === 'events:cross' && (e.data as StreamEvent).id === id);
    }
  });

  it('expires an agent once although both daemons sweep', async () => {
    const [logA, logB] = await Promise.all([record(onA, ['agents']), record(onB, ['agents'])]);
    await onA.agents.start({ agentId: 'expire-once', ttlSeconds: 1 });
    const isMine = (e: { type: string; data: unknown }) => e.type === 'agent.expired' && (e.data as AgentStatus).agentId === 'expire-once';
    await Promise.all([logA.next(isMine, 5_000), logB.next(isMine, 5_000)]);
    // Let both sweepers run several more times (250 ms interval): still exactly one expiry each.
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(logA.events.filter(isMine).length, 1);
    assert.equal(logB.events.filter(isMine).length, 1);
  });
});
