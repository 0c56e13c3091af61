/**
 * Signal latency: time from signal.send being issued to the waiter's signal.wait resolving, with
 * sender and waiter on the same daemon and on two daemons sharing one Redis. Targets: p99 ≤ 2 ms
 * same daemon, ≤ 5 ms across. The machine-independent figure is the ratio to a Redis round trip
 * (PING p50) measured in the same run.
 */
import { RawClient, median, percentile, redisRoundTripMs, round, twoDaemons, writeResult } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Latencies (ms) of `rounds` send→wait deliveries from `sender` to an agent waiting on `waiter`. */
async function measure(sender: RawClient, waiter: RawClient, rounds: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const waiting = waiter.call<{ payload: unknown } | null>('signal.wait', { agentId: 'bench-waiter', timeoutMs: 5_000 });
    // Let the wait reach the daemon and arm before sending (not part of the measured time).
    await new Promise((resolve) => setTimeout(resolve, 1));
    const sent = process.hrtime.bigint();
    void sender.call('signal.send', { from: 'bench', to: 'bench-waiter', type: 'ping', payload: i });
    const signal = await waiting;
    latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
    if (!signal || signal.payload !== i) throw new Error(`round ${i}: got ${JSON.stringify(signal)}`);
  }
  return latencies;
}

async function main(): Promise<void> {
  const { redis, a, b, stop } = await twoDaemons();
  try {
    const [senderA, waiterA, waiterB] = await Promise.all([RawClient.open(a.url, a.token), RawClient.open(a.url, a.token), RawClient.open(b.url, b.token)]);
    await measure(senderA, waiterA, 1000); // warm-up (JIT, connection buffers): the first runs were slower
    await measure(senderA, waiterB, 1000);
    const runs: { sameDaemon: { p50Ms: number; p99Ms: number }; acrossDaemons: { p50Ms: number; p99Ms: number }; redisRttMs: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const same = await measure(senderA, waiterA, ROUNDS);
      const across = await measure(senderA, waiterB, ROUNDS);
      const redisRttMs = await redisRoundTripMs(redis.url);
      const stats = (xs: number[]) => ({ p50Ms: round(percentile(xs, 50), 3), p99Ms: round(percentile(xs, 99), 3) });
      runs.push({ sameDaemon: stats(same), acrossDaemons: stats(across), redisRttMs: round(redisRttMs, 3) });
      process.stderr.write(`run ${run + 1}: same ${JSON.stringify(stats(same))} across ${JSON.stringify(stats(across))} redis RTT ${round(redisRttMs, 3)} ms\n`);
    }
    for (const client of [senderA, waiterA, waiterB]) client.close();
    const med = (pick: (r: (typeof runs)[number]) => number) => round(median(runs.map(pick)), 3);
    const redisRttMs = med((r) => r.redisRttMs);
    writeResult('signals', {
      rounds: ROUNDS,
      runs,
      median: {
        sameDaemon: { p50Ms: med((r) => r.sameDaemon.p50Ms), p99Ms: med((r) => r.sameDaemon.p99Ms) },
        acrossDaemons: { p50Ms: med((r) => r.acrossDaemons.p50Ms), p99Ms: med((r) => r.acrossDaemons.p99Ms) },
        redisRttMs,
        ratioSameP50ToRedisRtt: round(med((r) => r.sameDaemon.p50Ms) / redisRttMs, 1),
      },
      target: { sameDaemonP99Ms: 2, acrossDaemonsP99Ms: 5 },
    });
  } finally {
    await stop();
  }
}

void main();
