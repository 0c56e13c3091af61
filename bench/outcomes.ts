/**
 * Outcomes, three figures, each judged by a ratio measured in the same run:
 * - record rate: outcome.record/s through one daemon process from 50 WebSocket clients, in three
 *   patterns — `request` (one in flight per client), `batch` (20 per frame, as the SDK's
 *   ActionDispatcher sends a turn's outcomes) and `batch+subscriber` (the same with a subscriber on
 *   `outcomes`, which gets every outcome.recorded frame) — ÷ redis-benchmark's XADD (-c 50 -P 1)
 *   on the same Redis;
 * - outcome.stats p99 with 100 agents × 10 000 outcomes each (target ≤ 10 ms) over the default
 *   300 s window (one running-window string per agent) ÷ the p99 of a raw MGET of those 100 keys;
 *   and, for a window other than the running one, over 290 s (29 buckets per agent, each bucket
 *   first filled by copying the agent's fullest one, the steady state of a busy fleet) ÷ a raw MGET
 *   of those 2 900 bucket keys;
 * - the SDK's dispatch overhead on a 100 ms action (target < 1 %): (median wall time of an action
 *   through ActionDispatcher − median without) ÷ 100 ms, 200 actions at a time, rounds alternating;
 *   and, apart, what dispatch adds to each action's own wall time (wall − its durationMs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { SwitchboardClient } from '../client/client';
import { ActionDispatcher } from '../client/dispatch';
import { RawClient, median, percentile, round, spawnDaemon, startRedis, writeResult } from './lib';

const CLIENTS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PER_FRAME = 20;
const STATS_AGENTS = 100;
const OUTCOMES_PER_AGENT = Number(process.env.BENCH_OUTCOMES_PER_AGENT ?? 10_000);
const STATS_CALLS = 200;
const ACTION_MS = 100;
const CONCURRENT_ACTIONS = 200;
const ACTION_ROUNDS = Number(process.env.BENCH_ACTION_ROUNDS ?? 10);

type Pattern = 'request' | 'batch' | 'batch+subscriber';

/** A realistic spread: log-normal durations around 300 ms, a few failures, tokens and cost. */
function outcomeParams(agentName: string, i: number): object {
  const durationMs = Math.round(300 * Math.exp(((i * 7919) % 1000) / 500 - 1) * 10) / 10;
  return { agentName, actionType: 'llm.call', status: i % 50 === 0 ? 'failure' : 'success', durationMs, tokensUsed: 100 + (i % 900), costUsd: 0.0001 * (i % 37) };
}

async function recordsPerSecond(clients: RawClient[], pattern: Pattern): Promise<number> {
  const perCall = pattern === 'request' ? 1 : PER_FRAME;
  let recorded = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = 0; Date.now() < deadline; i += perCall) {
        if (perCall === 1) await client.call('outcome.record', outcomeParams(`bench-${c % 10}`, i));
        else await client.batch(Array.from({ length: perCall }, (_, k) => ['outcome.record', outcomeParams(`bench-${c % 10}`, i + k)] as [string, unknown]));
        recorded += perCall;
      }
    }),
  );
  return recorded / (Number(process.hrtime.bigint() - started) / 1e9);
}

function redisBenchmarkXadd(port: number): number {
  const out = execFileSync(
    'redis-benchmark',
    ['-h', '127.0.0.1', '-p', String(port), '-c', String(CLIENTS), '-P', '1', '-n', '200000', '-q', 'XADD', 'bench:xadd', 'MAXLEN', '~', '10000', '*', 'j', '{"agentName":"bench","status":"success","durationMs":120}'],
    { encoding: 'utf8' },
  );
  const match = / ([\d.]+) requests per second/.exec(out);
  if (!match) throw new Error(`cannot read redis-benchmark output: ${out}`);
  return Number(match[1]);
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

/** Fills 100 agents × OUTCOMES_PER_AGENT, then copies each agent's fullest bucket over the last 300 s of buckets. */
async function fillStats(client: RawClient, raw: Redis): Promise<void> {
  const total = STATS_AGENTS * OUTCOMES_PER_AGENT;
  for (let i = 0; i < total; i += 500) {
    await client.batch(Array.from({ length: 500 }, (_, k) => ['outcome.record', outcomeParams(`fleet-${(i + k) % STATS_AGENTS}`, i + k)] as [string, unknown]));
  }
  const [seconds] = await raw.time();
  const newest = Math.floor(Number(seconds) / 10);
  for (let a = 0; a < STATS_AGENTS; a++) {
    const prefix = `{sb:outcomes}:bucket:fleet-${a}:`;
    const keys = await raw.keys(`${prefix}*`);
    const lengths = await Promise.all(keys.map((key) => raw.strlen(key)));
    const fullest = keys[lengths.indexOf(Math.max(...lengths))]!;
    for (let b = newest - 29; b <= newest + 1; b++) if (`${prefix}${b}` !== fullest) await raw.copy(fullest, `${prefix}${b}`, 'REPLACE');
    await raw.zadd('{sb:outcomes}:agents', Date.now() + 60_000, `fleet-${a}`);
  }
}

/**
 * Wall times of CONCURRENT_ACTIONS 100 ms actions at once, through the dispatcher or bare; with
 * the dispatcher also what it added to each action itself (wall time − the action's durationMs).
 */
async function actionTimes(dispatcher: ActionDispatcher | undefined, added: number[] = []): Promise<number[]> {
  const action = () => new Promise<void>((resolve) => setTimeout(resolve, ACTION_MS));
  return Promise.all(
    Array.from({ length: CONCURRENT_ACTIONS }, async (_, i) => {
      const t = process.hrtime.bigint();
      if (!dispatcher) await action();
      else {
        const { durationMs } = await dispatcher.dispatch(`sdk-${i % 10}`, 'sleep', action, { tags: ['bench'] });
        added.push(Number(process.hrtime.bigint() - t) / 1e6 - durationMs);
      }
      return Number(process.hrtime.bigint() - t) / 1e6;
    }),
  );
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const stateDir = mkdtempSync(join(tmpdir(), 'sb-bench-outcomes-'));
  const daemon = await spawnDaemon(stateDir, ['--redis', redis.url]);
  const raw = new Redis(redis.url);
  try {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => RawClient.open(daemon.url, daemon.token)));
    const subscriber = await RawClient.open(daemon.url, daemon.token);
    let pushes = 0;
    subscriber.onEvent = () => pushes++;
    await recordsPerSecond(clients, 'batch'); // warm-up (JIT, script cache)
    const rateRuns: { pattern: Pattern; perSec: number; xaddPerSec: number; ratio: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const pattern of ['request', 'batch', 'batch+subscriber'] as const) {
        const subscription = pattern === 'batch+subscriber' ? await subscriber.call<{ subscriptionId: string }>('subscribe', { topics: ['outcomes'] }) : undefined;
        const perSec = await recordsPerSecond(clients, pattern);
        if (subscription) await subscriber.call('unsubscribe', subscription);
        const xaddPerSec = redisBenchmarkXadd(redis.port);
        rateRuns.push({ pattern, perSec: Math.round(perSec), xaddPerSec: Math.round(xaddPerSec), ratio: round(perSec / xaddPerSec, 3) });
        process.stderr.write(`run ${run + 1} ${pattern}: ${Math.round(perSec)} records/s, redis-benchmark XADD ${Math.round(xaddPerSec)}/s\n`);
      }
    }
    for (const client of clients) client.close();

    const statsClient = await RawClient.open(daemon.url, daemon.token);
    await raw.flushall();
    const filling = Date.now();
    await fillStats(statsClient, raw);
    process.stderr.write(`filled ${STATS_AGENTS} × ${OUTCOMES_PER_AGENT} outcomes in ${Date.now() - filling} ms\n`);
    const windowKeys = Array.from({ length: STATS_AGENTS }, (_, a) => `{sb:outcomes}:window:fleet-${a}`);
    const [seconds] = await raw.time();
    const newest = Math.floor(Number(seconds) / 10);
    const bucketKeys = windowKeys.flatMap((_, a) => Array.from({ length: 29 }, (_, b) => `{sb:outcomes}:bucket:fleet-${a}:${newest - b}`));
    const check = JSON.parse(await statsClient.rawCall('outcome.stats', {})).result as { agents: { count: number }[] };
    if (check.agents.length !== STATS_AGENTS || check.agents[0]!.count < OUTCOMES_PER_AGENT) throw new Error(`outcome.stats answered ${check.agents.length} agents`);
    type StatsRun = { p50Ms: number; p99Ms: number; mgetP99Ms: number; ratio: number };
    const statsRuns: { running: StatsRun; buckets: StatsRun }[] = [];
    const measure = async (params: object, keys: string[]): Promise<StatsRun> => {
      await timeCalls(() => statsClient.rawCall('outcome.stats', params), 20);
      const stats = await timeCalls(() => statsClient.rawCall('outcome.stats', params), STATS_CALLS);
      const mget = await timeCalls(() => raw.mgetBuffer(...keys), STATS_CALLS);
      const p99 = percentile(stats, 99);
      return { p50Ms: round(median(stats)), p99Ms: round(p99), mgetP99Ms: round(percentile(mget, 99)), ratio: round(p99 / percentile(mget, 99)) };
    };
    for (let run = 0; run < RUNS; run++) {
      const result = { running: await measure({}, windowKeys), buckets: await measure({ windowSeconds: 290 }, bucketKeys) };
      statsRuns.push(result);
      process.stderr.write(`run ${run + 1} outcome.stats: 300 s p99 ${result.running.p99Ms} ms (MGET ${result.running.mgetP99Ms}); 290 s p99 ${result.buckets.p99Ms} ms (MGET ${result.buckets.mgetP99Ms})\n`);
    }
    const hourStats = await timeCalls(() => statsClient.rawCall('outcome.stats', { windowSeconds: 3600 }), 50);
    statsClient.close();

    const sdk = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token });
    const dispatcher = new ActionDispatcher(sdk);
    await actionTimes(dispatcher); // warm-up
    const overheadRuns: { withMs: number; withoutMs: number; overheadPercent: number; addedMedianMs: number; addedP99Ms: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const withTimes: number[] = [];
      const withoutTimes: number[] = [];
      const added: number[] = [];
      for (let r = 0; r < ACTION_ROUNDS; r++) {
        withTimes.push(...(await actionTimes(dispatcher, added)));
        withoutTimes.push(...(await actionTimes(undefined)));
      }
      const withMs = median(withTimes);
      const withoutMs = median(withoutTimes);
      overheadRuns.push({
        withMs: round(withMs, 3),
        withoutMs: round(withoutMs, 3),
        overheadPercent: round(((withMs - withoutMs) / ACTION_MS) * 100, 3),
        addedMedianMs: round(median(added), 3),
        addedP99Ms: round(percentile(added, 99), 3),
      });
      process.stderr.write(`run ${run + 1} dispatch: median ${round(withMs, 3)} ms with, ${round(withoutMs, 3)} ms without; added to the action itself: median ${round(median(added), 3)} ms\n`);
    }
    await dispatcher.flush();
    sdk.close();

    const rateMedian = (pattern: Pattern) => {
      const of = rateRuns.filter((r) => r.pattern === pattern);
      return { perSec: median(of.map((r) => r.perSec)), xaddPerSec: median(of.map((r) => r.xaddPerSec)), ratio: median(of.map((r) => r.ratio)) };
    };
    writeResult('outcomes', {
      clients: CLIENTS,
      secondsPerRun: SECONDS,
      recordRate: { runs: rateRuns, median: { request: rateMedian('request'), batch: rateMedian('batch'), 'batch+subscriber': rateMedian('batch+subscriber') }, pushesSeen: pushes },
      stats: {
        agents: STATS_AGENTS,
        outcomesPerAgent: OUTCOMES_PER_AGENT,
        runs: statsRuns,
        median: Object.fromEntries(
          (['running', 'buckets'] as const).map((kind) => [
            kind,
            { p50Ms: median(statsRuns.map((r) => r[kind].p50Ms)), p99Ms: median(statsRuns.map((r) => r[kind].p99Ms)), ratio: median(statsRuns.map((r) => r[kind].ratio)) },
          ]),
        ),
        window3600: { p50Ms: round(median(hourStats)), p99Ms: round(percentile(hourStats, 99)), note: 'buckets only over the last 300 s filled' },
        target: { p99Ms: 10 },
      },
      dispatchOverhead: {
        actionMs: ACTION_MS,
        concurrent: CONCURRENT_ACTIONS,
        actionsPerRun: ACTION_ROUNDS * CONCURRENT_ACTIONS,
        runs: overheadRuns,
        median: { overheadPercent: median(overheadRuns.map((r) => r.overheadPercent)), addedMedianMs: median(overheadRuns.map((r) => r.addedMedianMs)) },
        target: { overheadPercent: 1 },
      },
    });
  } finally {
    raw.disconnect();
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await redis.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

void main();
