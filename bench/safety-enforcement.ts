/**
 * What enforcement adds to signal.send: two daemons on one Redis, one with enforcement on (the
 * built-in rule set), one with it off, the same 1 KB payload sent sequentially (one call in flight)
 * through each, interleaved call by call. The figure judged is p99(on) − p99(off) (target ≤ 0.2 ms);
 * the payload scan alone, timed in process, says how much of that is the validator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPayload } from '../daemon/safety/payload-scan';
import { DEFAULT_RULES } from '../daemon/safety/validator/default-rules';
import { compileRules } from '../daemon/safety/validator/validator';
import { RawClient, median, percentile, round, spawnDaemon, startRedis, writeResult } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_ADDED_P99_MS = 0.2;

/** A 1 KB agent message: prose, a list, numbers and nested keys, nothing any default rule matches. */
function payload(): Record<string, unknown> {
  const value = {
    task: 'Refactor the billing module so invoices are generated per customer region and rounded once.',
    status: 'in_progress',
    step: 3,
    progress: 0.42,
    notes: [
      'Moved the currency table into its own file and added a lookup by ISO code.',
      'The old rounding helper rounded twice; the new one rounds at the end of the sum.',
      'Two tests still depend on the legacy fixture; they are skipped with a reason.',
    ],
    files: { changed: ['src/billing/invoice.ts', 'src/billing/currency.ts', 'src/billing/round.ts'], added: ['src/billing/region.ts'] },
    summary:
      'Next: wire the region lookup into the invoice builder, run the full suite, and ask for a review from the payments team before merging into the release branch.',
    padding: '',
  };
  value.padding = 'x'.repeat(Math.max(0, 1024 - JSON.stringify(value).length));
  return value;
}

/** Latencies (ms) of `rounds` sends through each daemon, interleaved call by call (the order flipping each round) so both see the same noise. */
async function measure(on: RawClient, off: RawClient, body: Record<string, unknown>, rounds: number): Promise<{ on: number[]; off: number[] }> {
  const out = { on: [] as number[], off: [] as number[] };
  const send = async (client: RawClient, into: number[]) => {
    const started = process.hrtime.bigint();
    await client.rawCall('signal.send', { from: 'bench', to: 'bench-sink', type: 'note', payload: body, ttlSeconds: 60 });
    into.push(Number(process.hrtime.bigint() - started) / 1e6);
  };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      await send(on, out.on);
      await send(off, out.off);
    } else {
      await send(off, out.off);
      await send(on, out.on);
    }
  }
  return out;
}

/** The scan enforcement runs on the payload, in this process (no RPC). */
function scanCost(body: Record<string, unknown>, rounds: number): number[] {
  const set = compileRules(DEFAULT_RULES, 0);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    scanPayload(set, 'payload', body, 'output', 'bench');
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

async function main(): Promise<void> {
  const body = payload();
  const redis = await startRedis();
  const dirs = [mkdtempSync(join(tmpdir(), 'sb-bench-on-')), mkdtempSync(join(tmpdir(), 'sb-bench-off-'))];
  const [on, off] = await Promise.all([
    spawnDaemon(dirs[0]!, ['--redis', redis.url]),
    spawnDaemon(dirs[1]!, ['--redis', redis.url, '--safety-enforcement', 'off']),
  ]);
  try {
    const [clientOn, clientOff] = await Promise.all([RawClient.open(on!.url, on!.token), RawClient.open(off!.url, off!.token)]);
    const reply = await clientOn.rawCall('signal.send', { from: 'bench', to: 'bench-sink', type: 'note', payload: body, ttlSeconds: 60 });
    if (!reply.includes('"result"')) throw new Error(`enforcement refused the bench payload: ${reply}`);
    await measure(clientOn, clientOff, body, 1000); // warm-up (JIT, connection buffers)
    scanCost(body, 2000);
    const stats = (xs: number[]) => ({ p50Ms: round(percentile(xs, 50), 4), p99Ms: round(percentile(xs, 99), 4) });
    const runs: { on: ReturnType<typeof stats>; off: ReturnType<typeof stats>; scan: ReturnType<typeof stats>; addedP99Ms: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { on: withIt, off: without } = await measure(clientOn, clientOff, body, ROUNDS);
      const result = { on: stats(withIt), off: stats(without), scan: stats(scanCost(body, ROUNDS)), addedP99Ms: 0 };
      result.addedP99Ms = round(result.on.p99Ms - result.off.p99Ms, 4);
      runs.push(result);
      process.stderr.write(`run ${run + 1}: on ${JSON.stringify(result.on)} off ${JSON.stringify(result.off)} added p99 ${result.addedP99Ms} ms; scan alone ${JSON.stringify(result.scan)}\n`);
    }
    clientOn.close();
    clientOff.close();
    const med = (pick: (r: (typeof runs)[number]) => number) => round(median(runs.map(pick)), 4);
    const summary = {
      on: { p50Ms: med((r) => r.on.p50Ms), p99Ms: med((r) => r.on.p99Ms) },
      off: { p50Ms: med((r) => r.off.p50Ms), p99Ms: med((r) => r.off.p99Ms) },
      addedP99Ms: med((r) => r.addedP99Ms),
      addedP50Ms: round(med((r) => r.on.p50Ms) - med((r) => r.off.p50Ms), 4),
      scanAlone: { p50Ms: med((r) => r.scan.p50Ms), p99Ms: med((r) => r.scan.p99Ms) },
    };
    process.stdout.write(
      `enforcement on  p50 ${summary.on.p50Ms} ms  p99 ${summary.on.p99Ms} ms\n` +
        `enforcement off p50 ${summary.off.p50Ms} ms  p99 ${summary.off.p99Ms} ms\n` +
        `added p99 ${summary.addedP99Ms} ms (target ≤ ${TARGET_ADDED_P99_MS} ms); the payload scan alone p50 ${summary.scanAlone.p50Ms} ms, p99 ${summary.scanAlone.p99Ms} ms\n`,
    );
    writeResult('safety-enforcement', {
      rounds: ROUNDS,
      payloadBytes: JSON.stringify(body).length,
      rules: DEFAULT_RULES.length,
      runs,
      median: summary,
      target: { addedP99Ms: TARGET_ADDED_P99_MS },
    });
  } finally {
    for (const d of [on, off]) {
      d!.child.kill('SIGTERM');
      await d!.exited;
    }
    await redis.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

void main();
