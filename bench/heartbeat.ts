/**
 * Heartbeat ingest: 50 WebSocket clients through a daemon process to a Redis; then
 * redis-benchmark SET (-c 50 -P 1) on that same Redis. Judged by beats/s ÷ SET/s (target ≥ 0.4),
 * median of RUNS runs, in two patterns:
 * - `request`: every beat is a request, one in flight per client (like -P 1);
 * - `sdk`: what the SDK's Heartbeat sends, routine beats as notifications (no reply frame) and
 *   one request among them; with the default interval (a third of the ttl) and a request at two thirds of it, one notification and one request, the request's reply awaited.
 *   The daemon runs one connection's calls in order on one Redis connection, so that reply
 *   comes after the notifications before it were written.
 */
import { RawClient, median, redisBenchmarkSet, round, spawnDaemon, startRedis, writeResult } from './lib';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import WebSocket from 'ws';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLIENTS = 50;
const AGENTS_PER_CLIENT = 4;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_PROFILE=DIR: the daemon writes a V8 CPU profile there when it exits (open it in Chrome DevTools). */
const PROFILE_DIR = process.env.BENCH_PROFILE;
/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * A process's CPU time so far (user + system), in µs, from /proc (Linux; elsewhere NaN): what
 * each of the three processes spends per beat says which of them bounds the figure.
 */
function cpuMicros(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
  } catch {
    return NaN;
  }
}

/**
 * The load: every connection keeps one beat in flight, sending the next when the reply lands.
 * Frames are built by template and replies only checked for errors, so the load generator
 * (which shares this 2-core machine with the daemon and Redis) spends as little CPU as it can.
 */
type Pattern = 'request' | 'sdk';
const NOTIFICATIONS_PER_REQUEST: Record<Pattern, number> = { request: 0, sdk: 1 };

function beatsPerSecond(sockets: WebSocket[], pattern: Pattern): Promise<number> {
  const notifications = NOTIFICATIONS_PER_REQUEST[pattern];
  return new Promise((resolve, reject) => {
    let beats = 0;
    let open = sockets.length;
    const deadline = Date.now() + SECONDS * 1000;
    const started = process.hrtime.bigint();
    sockets.forEach((ws, c) => {
      let i = 0;
      const beat = (id: string) =>
        ws.send(`{"jsonrpc":"2.0",${id}"method":"agent.beat","params":{"agentId":"hb-${c}-${i % AGENTS_PER_CLIENT}","progress":0.${i % 10},"currentTask":"step ${i++}"}}`);
      const send = () => {
        for (let n = 0; n < notifications; n++) beat('');
        beat(`"id":${i},`);
      };
      const onMessage = (data: Buffer) => {
        if (data.includes('"error"')) return reject(new Error(data.toString()));
        beats += notifications + 1;
        if (Date.now() < deadline) return send();
        ws.off('message', onMessage);
        if (--open === 0) resolve(beats / (Number(process.hrtime.bigint() - started) / 1e9));
      };
      ws.on('message', onMessage);
      send();
    });
  });
}

function connect(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const stateDir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
  const daemon = await spawnDaemon(stateDir, ['--redis', redis.url], process.env, PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []);
  try {
    const setup = await RawClient.open(daemon.url, daemon.token);
    await setup.batch(Array.from({ length: CLIENTS * AGENTS_PER_CLIENT }, (_, n) => ['agent.start', { agentId: `hb-${Math.floor(n / AGENTS_PER_CLIENT)}-${n % AGENTS_PER_CLIENT}`, ttlSeconds: 300 }]));
    setup.close();
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect(daemon.url, daemon.token)));
    await beatsPerSecond(clients, 'request'); // warm-up (JIT, script cache)
    /** CPU µs per beat of the daemon, Redis and this load generator. */
    type CpuPerBeat = { daemon: number; redis: number; load: number };
    type Run = { pattern: Pattern; beatsPerSec: number; redisSetPerSec: number; ratio: number; cpuPerBeat: CpuPerBeat };
    const runs: Run[] = [];
    for (let run = 0; run < RUNS; run++) {
      // The patterns alternate within a run, so the machine's drift touches both alike.
      for (const pattern of ['request', 'sdk'] as const) {
        const before = { daemon: cpuMicros(daemon.child.pid!), redis: cpuMicros(redis.pid), load: process.cpuUsage() };
        const started = performance.now();
        const beatsPerSec = await beatsPerSecond(clients, pattern);
        const beats = (beatsPerSec * (performance.now() - started)) / 1000;
        const load = process.cpuUsage(before.load);
        const cpuPerBeat = {
          daemon: round((cpuMicros(daemon.child.pid!) - before.daemon) / beats, 1),
          redis: round((cpuMicros(redis.pid) - before.redis) / beats, 1),
          load: round((load.user + load.system) / beats, 1),
        };
        const redisSetPerSec = redisBenchmarkSet(redis.port);
        runs.push({ pattern, beatsPerSec: Math.round(beatsPerSec), redisSetPerSec: Math.round(redisSetPerSec), ratio: round(beatsPerSec / redisSetPerSec, 3), cpuPerBeat });
        process.stderr.write(
          `run ${run + 1} ${pattern}: ${Math.round(beatsPerSec)} beats/s, redis-benchmark SET ${Math.round(redisSetPerSec)}/s; ` +
            `CPU µs per beat: daemon ${cpuPerBeat.daemon}, Redis ${cpuPerBeat.redis}, load generator ${cpuPerBeat.load}\n`,
        );
      }
    }
    for (const client of clients) client.close();
    const medianOf = (pattern: Pattern) => {
      const of = runs.filter((r) => r.pattern === pattern);
      return {
        beatsPerSec: median(of.map((r) => r.beatsPerSec)),
        redisSetPerSec: median(of.map((r) => r.redisSetPerSec)),
        ratio: median(of.map((r) => r.ratio)),
        cpuPerBeat: {
          daemon: median(of.map((r) => r.cpuPerBeat.daemon)),
          redis: median(of.map((r) => r.cpuPerBeat.redis)),
          load: median(of.map((r) => r.cpuPerBeat.load)),
        },
      };
    };
    writeResult('heartbeat', {
      clients: CLIENTS,
      secondsPerRun: SECONDS,
      notificationsPerRequest: NOTIFICATIONS_PER_REQUEST,
      runs,
      median: { request: medianOf('request'), sdk: medianOf('sdk') },
      target: { ratio: 0.4 },
    });
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await redis.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

void main();
