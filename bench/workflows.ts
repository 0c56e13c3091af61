/**
 * Workflow advancement, through a daemon process:
 * - step-to-step latency: the time from a step's queue.ack being issued to its dependent's job
 *   reaching a queue.receive already waiting on another connection (the ack script enqueues the
 *   dependent and wakes the receiver), over a chain of CHAIN steps. Target p99 ≤ 5 ms; the
 *   machine-independent figure is the ratio to a Redis PING round trip measured in the same run.
 * - a 1 000-step fan-out / fan-in (one root, 998 parallel steps, one join) end to end, start to
 *   workflow.completed, run by 8 SDK Workers each on its own WebSocket; judged by its ratio to the
 *   same 1 000 jobs enqueued as plain jobs and run by the same Workers (the cost of the workflow).
 * Median of RUNS runs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchboardClient, Worker } from '../client';
import type { Job } from '../protocol/types';
import { RawClient, median, percentile, redisRoundTripMs, round, spawnDaemon, startRedis, writeResult } from './lib';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHAIN = 1000;
const WIDE = 1000;
const WORKERS = 8;

/** Latencies (ms) from each step's ack to its dependent's delivery, over one chain workflow. */
async function chainLatencies(acker: RawClient, receiver: RawClient, queue: string): Promise<number[]> {
  const steps = Array.from({ length: CHAIN }, (_, i) => ({ name: `s${i}`, queue, dependsOn: i ? [`s${i - 1}`] : [] }));
  await acker.call('workflow.start', { name: 'chain', steps });
  let job = (await receiver.call<Job>('queue.receive', { queue, consumer: 'bench' }))!;
  const latencies: number[] = [];
  for (let i = 1; i < CHAIN; i++) {
    const next = receiver.call<Job | null>('queue.receive', { queue, consumer: 'bench', waitMs: 5_000 });
    // Let the receive reach the daemon and park before acking (not part of the measured time).
    await new Promise((resolve) => setTimeout(resolve, 1));
    const acked = process.hrtime.bigint();
    void acker.call('queue.ack', { queue, jobId: job.jobId, receipt: job.receipt });
    const got = await next;
    latencies.push(Number(process.hrtime.bigint() - acked) / 1e6);
    if (!got || !got.jobId.endsWith(`:s${i}`)) throw new Error(`step ${i}: got ${JSON.stringify(got)}`);
    job = got;
  }
  await acker.call('queue.ack', { queue, jobId: job.jobId, receipt: job.receipt });
  return latencies;
}

/** Runs no-op jobs of `queue` with one Worker per client from `start` until `done`; the time it took (ms). */
async function withWorkers(clients: SwitchboardClient[], queue: string, handler: () => unknown, start: () => Promise<unknown>, done: Promise<unknown>): Promise<number> {
  const workers = clients.map((client) => new Worker(client, queue, handler, { waitMs: 200 }).start());
  const began = performance.now();
  await start();
  await done;
  const ms = performance.now() - began;
  await Promise.all(workers.map((w) => w.stop()));
  return ms;
}

async function fanOutMs(clients: SwitchboardClient[], queue: string): Promise<number> {
  const client = clients[0]!;
  const workflowId = `${queue}-wf`;
  const leaves = Array.from({ length: WIDE - 2 }, (_, i) => ({ name: `leaf${i}`, queue, dependsOn: ['root'] }));
  const steps = [{ name: 'root', queue }, ...leaves, { name: 'join', queue, dependsOn: leaves.map((s) => s.name) }];
  let sub: { unsubscribe(): Promise<void> } | undefined;
  const completed = new Promise<void>((resolve) => {
    void client
      .subscribe(['workflows'], (e) => {
        if (e.topic === 'workflows' && e.type === 'workflow.completed' && e.data.workflowId === workflowId) resolve();
      })
      .then((s) => (sub = s));
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const ms = await withWorkers(clients, queue, () => null, () => client.workflows.start({ name: 'fan', workflowId, steps }), completed);
  await sub?.unsubscribe();
  return ms;
}

async function plainJobsMs(clients: SwitchboardClient[], queue: string): Promise<number> {
  const client = clients[0]!;
  let left = WIDE;
  let end!: () => void;
  const done = new Promise<void>((resolve) => (end = resolve));
  const enqueueAll = async () => {
    for (let i = 0; i < WIDE; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, WIDE - i) }, (_, k) => client.call('queue.enqueue', { queue, payload: { n: i + k } }, { batch: true })));
    }
  };
  return withWorkers(clients, queue, () => void (--left === 0 && end()), enqueueAll, done);
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const daemon = await spawnDaemon(mkdtempSync(join(tmpdir(), 'sb-bench-')), ['--redis', redis.url]);
  const [acker, receiver] = await Promise.all([RawClient.open(daemon.url, daemon.token), RawClient.open(daemon.url, daemon.token)]);
  const clients = await Promise.all(Array.from({ length: WORKERS }, () => SwitchboardClient.connect({ url: daemon.url, token: daemon.token })));
  try {
    await chainLatencies(acker, receiver, 'warm-chain'); // warm-up (JIT, connection buffers)
    const runs: { p50Ms: number; p99Ms: number; redisRttMs: number; fanOutMs: number; plainJobsMs: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const latencies = await chainLatencies(acker, receiver, `chain-${run}`);
      const fan = await fanOutMs(clients, `fan-${run}`);
      const plain = await plainJobsMs(clients, `plain-${run}`);
      const row = { p50Ms: round(percentile(latencies, 50), 3), p99Ms: round(percentile(latencies, 99), 3), redisRttMs: round(await redisRoundTripMs(redis.url), 3), fanOutMs: round(fan, 0), plainJobsMs: round(plain, 0) };
      runs.push(row);
      process.stdout.write(`run ${run + 1}: step→step p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms (PING ${row.redisRttMs} ms); ${WIDE}-step fan-out/in ${row.fanOutMs} ms, ${WIDE} plain jobs ${row.plainJobsMs} ms\n`);
    }
    const med = (field: keyof (typeof runs)[number]) => median(runs.map((r) => r[field]));
    writeResult('workflows', {
      runs: RUNS,
      chainSteps: CHAIN,
      fanOutSteps: WIDE,
      workers: WORKERS,
      median: {
        stepToStep: { p50Ms: med('p50Ms'), p99Ms: med('p99Ms'), p50RatioToRedisRtt: round(med('p50Ms') / med('redisRttMs')) },
        fanOut: { ms: med('fanOutMs'), stepsPerSec: round(WIDE / (med('fanOutMs') / 1000), 0), plainJobsMs: med('plainJobsMs'), ratioToPlainJobs: round(med('fanOutMs') / med('plainJobsMs')) },
      },
      target: { stepToStepP99Ms: 5 },
      all: runs,
    });
  } finally {
    for (const client of clients) client.close();
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await redis.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
