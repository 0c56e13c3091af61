/**
 * policy.check latency over the daemon's WebSocket with a realistic policy: 20 entries (the
 * agent's is the 16th, so the scan passes 15), 50 registered tools, arguments checked against the
 * tool schema, an argument rule and the default validator rules, and a callsPerMinute bucket (one
 * script per check). Sequential (one call in flight) and concurrent (20 clients, one in flight
 * each). The machine-independent figure is the sequential p50 ÷ a Redis PING round trip in the
 * same run. Target: sequential p99 ≤ 2 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawClient, median, percentile, redisRoundTripMs, round, spawnDaemon, startRedis, writeResult } from './lib';

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = 20;
/** BENCH_PROFILE=DIR: the daemon writes a V8 CPU profile there when it exits (open it in Chrome DevTools). */
const PROFILE_DIR = process.env.BENCH_PROFILE;

const TOOLS = Array.from({ length: 50 }, (_, i) => ({
  name: `tool${i}`,
  version: '1.0.0',
  flags: i % 10 === 0 ? ['network'] : [],
  schema: { type: 'object', properties: { path: { type: 'string', maxLength: 500 }, limit: { type: 'integer' } }, required: ['path'], additionalProperties: false },
}));

const POLICY = {
  agents: Array.from({ length: 20 }, (_, i) => ({
    agent: i === 19 ? '*' : `team${i}-*`,
    allow: ['tool*'],
    deny: ['tool4?:0.*'],
    approvalFlags: ['shell'],
    callsPerMinute: 1_000_000,
    timeoutMs: 30_000,
    argRules: [
      { tool: 'tool*', field: 'path', pattern: '^/etc/', then: 'deny' },
      { tool: 'tool1*', field: 'limit', oneOf: [0], then: 'approve' },
    ],
  })),
};

const checkParams = (agent: number, i: number) => ({
  agentId: `team15-agent${agent}`,
  tool: `tool${i % 50}`,
  args: { path: `/srv/data/${i}.txt`, limit: 10 },
});

async function timed(client: RawClient, agent: number, calls: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = process.hrtime.bigint();
    const decision = await client.call<{ allowed: boolean; requiresApproval: boolean }>('policy.check', checkParams(agent, i));
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!decision.allowed) throw new Error(`call ${i} was refused: ${JSON.stringify(decision)}`);
  }
  return latencies;
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-policy-'));
  const daemon = await spawnDaemon(dir, ['--redis', redis.url], process.env, PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []);
  try {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => RawClient.open(daemon.url, daemon.token)));
    const first = clients[0]!;
    for (const tool of TOOLS) await first.call('tool.register', tool);
    await first.call('policy.set', { policy: POLICY, expectedVersion: 0 });
    await timed(first, 0, 2000); // warm-up (JIT, compiled schemas)
    const runs: { sequential: { p50Ms: number; p99Ms: number }; concurrent: { p50Ms: number; p99Ms: number; checksPerSecond: number }; redisRttMs: number }[] = [];
    const stats = (xs: number[]) => ({ p50Ms: round(percentile(xs, 50), 3), p99Ms: round(percentile(xs, 99), 3) });
    for (let run = 0; run < RUNS; run++) {
      const sequential = await timed(first, 0, CALLS);
      const started = process.hrtime.bigint();
      const concurrent = (await Promise.all(clients.map((client, agent) => timed(client, agent, Math.ceil(CALLS / CLIENTS) * 2)))).flat();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const redisRttMs = round(await redisRoundTripMs(redis.url), 3);
      runs.push({ sequential: stats(sequential), concurrent: { ...stats(concurrent), checksPerSecond: Math.round(concurrent.length / seconds) }, redisRttMs });
      process.stderr.write(`run ${run + 1}: ${JSON.stringify(runs[run])}\n`);
    }
    for (const client of clients) client.close();
    const med = (pick: (r: (typeof runs)[number]) => number) => round(median(runs.map(pick)), 3);
    writeResult('safety-policy', {
      calls: CALLS,
      clients: CLIENTS,
      policy: { entries: POLICY.agents.length, tools: TOOLS.length, argRules: 2 },
      runs,
      median: {
        sequential: { p50Ms: med((r) => r.sequential.p50Ms), p99Ms: med((r) => r.sequential.p99Ms) },
        concurrent: { p50Ms: med((r) => r.concurrent.p50Ms), p99Ms: med((r) => r.concurrent.p99Ms), checksPerSecond: med((r) => r.concurrent.checksPerSecond) },
        redisRttMs: med((r) => r.redisRttMs),
        ratioSequentialP50ToRedisRtt: round(med((r) => r.sequential.p50Ms) / med((r) => r.redisRttMs), 1),
      },
      target: { sequentialP99Ms: 2 },
    });
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
