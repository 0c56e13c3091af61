/**
 * Heartbeat ingest: 50 WebSocket clients, each with one beat in flight (like redis-benchmark's
 * -c 50 -P 1), through a daemon process to a Redis; then redis-benchmark SET on that same Redis.
 * Judged by beats/s ÷ SET/s (target ≥ 0.4). Median of RUNS runs.
 */
import { RawClient, median, redisBenchmarkSet, round, spawnDaemon, startRedis, writeResult } from './lib';
import { mkdtempSync, rmSync } from 'node:fs';
import WebSocket from 'ws';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLIENTS = 50;
const AGENTS_PER_CLIENT = 4;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/**
 * The load: every connection keeps one beat in flight, sending the next when the reply lands.
 * Frames are built by template and replies only checked for errors, so the load generator
 * (which shares this 2-core machine with the daemon and Redis) spends as little CPU as it can.
 */
function beatsPerSecond(sockets: WebSocket[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let beats = 0;
    let open = sockets.length;
    const deadline = Date.now() + SECONDS * 1000;
    const started = process.hrtime.bigint();
    sockets.forEach((ws, c) => {
      let i = 0;
      const send = () =>
        ws.send(`{"jsonrpc":"2.0","id":${i},"method":"agent.beat","params":{"agentId":"hb-${c}-${i % AGENTS_PER_CLIENT}","progress":0.${i % 10},"currentTask":"step ${i++}"}}`);
      const onMessage = (data: Buffer) => {
        if (data.includes('"error"')) return reject(new Error(data.toString()));
        beats++;
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
  const daemon = await spawnDaemon(stateDir, ['--redis', redis.url]);
  try {
    const setup = await RawClient.open(daemon.url, daemon.token);
    await setup.batch(Array.from({ length: CLIENTS * AGENTS_PER_CLIENT }, (_, n) => ['agent.start', { agentId: `hb-${Math.floor(n / AGENTS_PER_CLIENT)}-${n % AGENTS_PER_CLIENT}`, ttlSeconds: 300 }]));
    setup.close();
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect(daemon.url, daemon.token)));
    await beatsPerSecond(clients); // warm-up (JIT, script cache)
    const runs: { beatsPerSec: number; redisSetPerSec: number; ratio: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const beatsPerSec = await beatsPerSecond(clients);
      const redisSetPerSec = redisBenchmarkSet(redis.port);
      runs.push({ beatsPerSec: Math.round(beatsPerSec), redisSetPerSec: Math.round(redisSetPerSec), ratio: round(beatsPerSec / redisSetPerSec, 3) });
      process.stderr.write(`run ${run + 1}: ${Math.round(beatsPerSec)} beats/s, redis-benchmark SET ${Math.round(redisSetPerSec)}/s\n`);
    }
    for (const client of clients) client.close();
    writeResult('heartbeat', {
      clients: CLIENTS,
      secondsPerRun: SECONDS,
      runs,
      median: {
        beatsPerSec: median(runs.map((r) => r.beatsPerSec)),
        redisSetPerSec: median(runs.map((r) => r.redisSetPerSec)),
        ratio: median(runs.map((r) => r.ratio)),
      },
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
