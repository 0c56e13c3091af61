/**
 * Coordination primitives: a lock.acquire + lock.release round trip (one client, one in flight);
 * the hand-over of a contended lock (release through one daemon → the acquirer parked on the other
 * daemon granted); ratelimit.take calls/s through one daemon (20 clients, one in flight each).
 * Judged by the ratio to a Redis PING round trip measured in the same run.
 */
import { RawClient, median, percentile, redisRoundTripMs, round, twoDaemons, writeResult } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TAKE_MS = 3000;
const TAKERS = 20;

interface Lock {
  fencingToken: number;
}

const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

/** Latencies (ms) of acquire + release of a free lock. */
async function roundTrips(client: RawClient, rounds: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    const lock = await client.call<Lock>('lock.acquire', { name: 'bench-free', owner: 'b', ttlMs: 10_000 });
    await client.call('lock.release', { name: 'bench-free', owner: 'b', fencingToken: lock.fencingToken });
    latencies.push(ms(started));
  }
  return latencies;
}

/** Latencies (ms) from the holder's release being sent to the parked acquirer's grant. */
async function handOvers(holder: RawClient, waiter: RawClient, rounds: number): Promise<number[]> {
  const latencies: number[] = [];
  const name = 'bench-contended';
  for (let i = 0; i < rounds; i++) {
    const held = await holder.call<Lock>('lock.acquire', { name, owner: 'holder', ttlMs: 10_000 });
    const waiting = waiter.call<Lock | null>('lock.acquire', { name, owner: 'waiter', ttlMs: 10_000, waitMs: 5000 });
    // Let the acquire reach the other daemon and park (not part of the measured time).
    await new Promise((resolve) => setTimeout(resolve, 1));
    const released = process.hrtime.bigint();
    void holder.call('lock.release', { name, owner: 'holder', fencingToken: held.fencingToken });
    const granted = await waiting;
    latencies.push(ms(released));
    if (!granted) throw new Error(`round ${i}: not granted`);
    await waiter.call('lock.release', { name, owner: 'waiter', fencingToken: granted.fencingToken });
  }
  return latencies;
}

/** ratelimit.take calls per second, `clients` each with one call in flight, over TAKE_MS. */
async function takesPerSecond(clients: RawClient[]): Promise<number> {
  let calls = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, i) => {
      while (performance.now() - started < TAKE_MS) {
        await client.call('ratelimit.take', { key: `bench-bucket-${i % 4}`, rate: 1_000_000, burst: 1_000_000 });
        calls++;
      }
    }),
  );
  return calls / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const { redis, a, b, stop } = await twoDaemons();
  try {
    const [onA, onB] = await Promise.all([RawClient.open(a.url, a.token), RawClient.open(b.url, b.token)]);
    const takers = await Promise.all(Array.from({ length: TAKERS }, () => RawClient.open(a.url, a.token)));
    // warm-up (JIT, connection buffers)
    await roundTrips(onA, 500);
    await handOvers(onA, onB, 500);
    const stats = (xs: number[]) => ({ p50Ms: round(percentile(xs, 50), 3), p99Ms: round(percentile(xs, 99), 3) });
    const runs: { roundTrip: { p50Ms: number; p99Ms: number }; handOver: { p50Ms: number; p99Ms: number }; takesPerSecond: number; redisRttMs: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const roundTrip = stats(await roundTrips(onA, ROUNDS));
      const handOver = stats(await handOvers(onA, onB, ROUNDS / 2));
      const takes = round(await takesPerSecond(takers), 0);
      const redisRttMs = round(await redisRoundTripMs(redis.url), 3);
      runs.push({ roundTrip, handOver, takesPerSecond: takes, redisRttMs });
      process.stderr.write(`run ${run + 1}: acquire+release ${JSON.stringify(roundTrip)} hand-over ${JSON.stringify(handOver)} takes ${takes}/s redis RTT ${redisRttMs} ms\n`);
    }
    for (const client of [onA, onB, ...takers]) client.close();
    const med = (pick: (r: (typeof runs)[number]) => number) => round(median(runs.map(pick)), 3);
    const redisRttMs = med((r) => r.redisRttMs);
    writeResult('coordination', {
      rounds: ROUNDS,
      runs,
      median: {
        acquireReleaseRoundTrip: { p50Ms: med((r) => r.roundTrip.p50Ms), p99Ms: med((r) => r.roundTrip.p99Ms) },
        contendedHandOverAcrossDaemons: { p50Ms: med((r) => r.handOver.p50Ms), p99Ms: med((r) => r.handOver.p99Ms) },
        ratelimitTakesPerSecond: med((r) => r.takesPerSecond),
        redisRttMs,
        ratioRoundTripP50ToRedisRtt: round(med((r) => r.roundTrip.p50Ms) / redisRttMs, 1),
        ratioHandOverP50ToRedisRtt: round(med((r) => r.handOver.p50Ms) / redisRttMs, 1),
        /** One client's take round trip (with TAKERS clients in flight) ÷ a PING round trip. */
        ratioTakeToRedisRtt: round(1000 / (med((r) => r.takesPerSecond) / TAKERS) / redisRttMs, 1),
      },
    });
  } finally {
    await stop();
  }
}

void main();
