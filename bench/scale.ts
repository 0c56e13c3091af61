/**
 * 10 000 live agents: agent.list p99 (target ≤ 30 ms), expiry lateness — how long after its
 * deadline each agent's agent.expired event is stamped (target ≤ 1 s) — and the daemon's RSS with
 * 100 WebSocket subscribers receiving the agents topic while the fleet beats (target ≤ 150 MB).
 * The machine-independent figure for list: its p99 ÷ the p99 of a raw Redis pipeline that reads
 * the same 10 000 hashes (HGETALL each), measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { RawClient, median, percentile, round, rssMiB, spawnDaemon, startRedis, writeResult } from './lib';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 10_000);
const LIST_CALLS = 100;
const SUBSCRIBERS = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BATCH = 500;

async function startAgents(client: RawClient, prefix: string, ttlSeconds: number): Promise<void> {
  for (let i = 0; i < AGENTS; i += BATCH) {
    await client.batch(
      Array.from({ length: Math.min(BATCH, AGENTS - i) }, (_, k) => ['agent.start', { agentId: `${prefix}-${i + k}`, ttlSeconds, metadata: { workflow: `wf-${(i + k) % 20}` } }]),
    );
  }
}

async function timeCalls(call: () => Promise<unknown>, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times;
}

async function run(redisUrl: string): Promise<Record<string, number>> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sb-bench-scale-'));
  const daemon = await spawnDaemon(stateDir, ['--redis', redisUrl]);
  const raw = new Redis(redisUrl);
  try {
    await raw.flushall();
    const client = await RawClient.open(daemon.url, daemon.token);
    await startAgents(client, 'live', 600);

    // agent.list, timed to the last byte of the reply (the client's own JSON.parse of the ~2 MB
    // reply is measured apart), against a raw pipeline of HGETALLs over the same hashes.
    await timeCalls(() => client.rawCall('agent.list', {}), 10);
    const reply = await client.rawCall('agent.list', {});
    const parseStarted = process.hrtime.bigint();
    const listed = JSON.parse(reply).result as unknown[];
    const clientParseMs = Number(process.hrtime.bigint() - parseStarted) / 1e6;
    if (listed.length !== AGENTS) throw new Error(`agent.list returned ${listed.length} agents`);
    const list = await timeCalls(() => client.rawCall('agent.list', {}), LIST_CALLS);
    const ids = await raw.zrange('{sb:agents}:expiry', 0, -1);
    const pipeline = await timeCalls(() => ids.reduce((p, id) => p.hgetall(`{sb:agents}:agent:${id}`), raw.pipeline()).exec(), LIST_CALLS);

    // 100 subscribers on the agents topic while every agent beats once (10 000 pushes each).
    const subscribers = await Promise.all(Array.from({ length: SUBSCRIBERS }, () => RawClient.open(daemon.url, daemon.token)));
    let received = 0;
    for (const s of subscribers) {
      s.onEvent = () => received++;
      await s.call('subscribe', { topics: ['agents'] });
    }
    const rssIdle = rssMiB(daemon.child.pid!);
    let rssPeak = rssIdle;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(daemon.child.pid!))), 50);
    for (let i = 0; i < AGENTS; i += BATCH) {
      await client.batch(Array.from({ length: Math.min(BATCH, AGENTS - i) }, (_, k) => ['agent.beat', { agentId: `live-${i + k}`, progress: 0.5, currentTask: 'scaling' }]));
    }
    while (received < AGENTS * SUBSCRIBERS) await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, rssMiB(daemon.child.pid!));
    for (const s of subscribers) s.close();

    // Expiry lateness: a second fleet of 10 000 with a 2 s ttl that never beats.
    const lateness: number[] = [];
    const watcher = await RawClient.open(daemon.url, daemon.token);
    watcher.onEvent = (params) => {
      const { type, data, ts } = params as { type: string; data: { agentId: string; lastBeatAt: number; ttlSeconds: number }; ts: number };
      if (type === 'agent.expired' && data.agentId.startsWith('mortal-')) lateness.push(ts - (data.lastBeatAt + data.ttlSeconds * 1000));
    };
    await watcher.call('subscribe', { topics: ['agents'] });
    await startAgents(client, 'mortal', 2);
    while (lateness.length < AGENTS) await new Promise((resolve) => setTimeout(resolve, 50));
    watcher.close();
    client.close();
    return {
      listP50Ms: round(percentile(list, 50)),
      listP99Ms: round(percentile(list, 99)),
      rawPipelineP99Ms: round(percentile(pipeline, 99)),
      listRatioToRawPipeline: round(percentile(list, 99) / percentile(pipeline, 99)),
      listReplyBytes: reply.length,
      clientParseMs: round(clientParseMs),
      expiryLatenessP50Ms: percentile(lateness, 50),
      expiryLatenessP99Ms: percentile(lateness, 99),
      expiryLatenessMaxMs: Math.max(...lateness),
      rssIdleMiB: rssIdle,
      rssPeakMiB: rssPeak,
    };
  } finally {
    raw.disconnect();
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const redis = await startRedis();
  try {
    const runs: Record<string, number>[] = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await run(redis.url));
      process.stderr.write(`run ${i + 1}: ${JSON.stringify(runs.at(-1))}\n`);
    }
    const medians = Object.fromEntries(Object.keys(runs[0]!).map((k) => [k, round(median(runs.map((r) => r[k]!)))]));
    writeResult('scale', {
      agents: AGENTS,
      subscribers: SUBSCRIBERS,
      runs,
      median: medians,
      target: { listP99Ms: 30, expiryLatenessMs: 1000, rssMiB: 150 },
    });
  } finally {
    await redis.stop();
  }
}

void main();
