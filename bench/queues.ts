/**
 * Queue throughput against BullMQ on the same Redis, in the same run. Judged by ours ÷ BullMQ
 * (target ≥ 1.5) for:
 * - receive + ack of no-op jobs enqueued beforehand, with 1 and with 8 consumers: ours are the SDK's
 *   Worker through a daemon process, each consumer on its own WebSocket (concurrency 1, prefetch
 *   PREFETCH: received `count` at a time, each turn's acks and the next receive in one JSON-RPC
 *   batch); BullMQ's is one `Worker` with concurrency 1 and 8, `removeOnComplete`;
 * - enqueue: JSON-RPC batches of BATCH `queue.enqueue` calls, one batch in flight, against
 *   `Queue.addBulk` of BATCH jobs, one in flight.
 * Median of RUNS runs; each run uses fresh queues.
 */
import { Queue, Worker as BullWorker } from 'bullmq';
import IORedis from 'ioredis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchboardClient, Worker } from '../client';
import { median, round, spawnDaemon, startRedis, writeResult } from './lib';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const PREFETCH = 49;
const BATCH = 100;
const CONSUMERS = [1, 8];
/** BENCH_PROFILE=DIR: the daemon writes a V8 CPU profile there when it exits. */
const PROFILE_DIR = process.env.BENCH_PROFILE;

async function main(): Promise<void> {
  const redis = await startRedis();
  const daemon = await spawnDaemon(mkdtempSync(join(tmpdir(), 'sb-bench-')), ['--redis', redis.url], process.env, PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []);
  const bullConnection = new IORedis(redis.url, { maxRetriesPerRequest: null });
  const clients = await Promise.all(Array.from({ length: Math.max(...CONSUMERS) + 1 }, () => SwitchboardClient.connect({ url: daemon.url, token: daemon.token })));
  const producer = clients[0]!;
  let seq = 0;
  try {
    const ours = {
      async enqueue(queue: string): Promise<number> {
        const started = performance.now();
        for (let i = 0; i < JOBS; i += BATCH) {
          await Promise.all(Array.from({ length: BATCH }, (_, k) => producer.call('queue.enqueue', { queue, payload: { n: i + k } }, { batch: true })));
        }
        return JOBS / ((performance.now() - started) / 1000);
      },
      async consume(queue: string, consumers: number): Promise<number> {
        const started = performance.now();
        let done = 0;
        let workers: Worker[] = [];
        await new Promise<void>((resolve) => {
          workers = clients.slice(1, consumers + 1).map((client) =>
            new Worker(client, queue, () => {
              if (++done === JOBS) resolve();
            }, { prefetch: PREFETCH }).start(),
          );
        });
        const rate = JOBS / ((performance.now() - started) / 1000);
        await Promise.all(workers.map((w) => w.stop()));
        return rate;
      },
    };
    const bull = {
      async enqueue(queue: Queue): Promise<number> {
        const started = performance.now();
        for (let i = 0; i < JOBS; i += BATCH) {
          await queue.addBulk(Array.from({ length: BATCH }, (_, k) => ({ name: 'job', data: { n: i + k }, opts: { removeOnComplete: true } })));
        }
        return JOBS / ((performance.now() - started) / 1000);
      },
      async consume(queue: Queue, concurrency: number): Promise<number> {
        const started = performance.now();
        let done = 0;
        let worker!: BullWorker;
        await new Promise<void>((resolve) => {
          worker = new BullWorker(queue.name, async () => {}, { connection: bullConnection, concurrency, removeOnComplete: { count: 0 } });
          worker.on('completed', () => {
            if (++done === JOBS) resolve();
          });
        });
        const rate = JOBS / ((performance.now() - started) / 1000);
        await worker.close();
        return rate;
      },
    };

    type Row = { consumers: number; oursJobsPerSec: number; bullmqJobsPerSec: number; ratio: number };
    const consume: Row[] = [];
    const enqueue: { oursJobsPerSec: number; bullmqJobsPerSec: number; ratio: number }[] = [];
    // warm-up: JIT, script caches, connections
    await ours.enqueue('warm');
    await ours.consume('warm', 8);
    for (let run = 0; run < RUNS; run++) {
      for (const consumers of CONSUMERS) {
        const name = `bench-${run}-${consumers}-${seq++}`;
        const bullQueue = new Queue(name, { connection: bullConnection });
        const oursIn = await ours.enqueue(name);
        const bullIn = await bull.enqueue(bullQueue);
        enqueue.push({ oursJobsPerSec: round(oursIn, 0), bullmqJobsPerSec: round(bullIn, 0), ratio: round(oursIn / bullIn) });
        const oursOut = await ours.consume(name, consumers);
        const bullOut = await bull.consume(bullQueue, consumers);
        consume.push({ consumers, oursJobsPerSec: round(oursOut, 0), bullmqJobsPerSec: round(bullOut, 0), ratio: round(oursOut / bullOut) });
        process.stdout.write(`run ${run + 1}, ${consumers} consumer(s): ours ${round(oursOut, 0)} jobs/s, BullMQ ${round(bullOut, 0)} → ${round(oursOut / bullOut)}; enqueue ${round(oursIn / bullIn)}\n`);
        await bullQueue.obliterate({ force: true });
        await bullQueue.close();
      }
    }
    const medianOf = (consumers: number, field: keyof Row) => median(consume.filter((r) => r.consumers === consumers).map((r) => r[field]));
    writeResult('queues', {
      jobs: JOBS,
      runs: RUNS,
      prefetch: PREFETCH,
      batch: BATCH,
      median: {
        ...Object.fromEntries(
          CONSUMERS.map((c) => [`consumers${c}`, { oursJobsPerSec: medianOf(c, 'oursJobsPerSec'), bullmqJobsPerSec: medianOf(c, 'bullmqJobsPerSec'), ratio: medianOf(c, 'ratio') }]),
        ),
        enqueue: { oursJobsPerSec: median(enqueue.map((r) => r.oursJobsPerSec)), bullmqJobsPerSec: median(enqueue.map((r) => r.bullmqJobsPerSec)), ratio: median(enqueue.map((r) => r.ratio)) },
      },
      target: { ratio: 1.5 },
      consume,
      enqueue,
    });
  } finally {
    for (const client of clients) client.close();
    await bullConnection.quit();
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await redis.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
