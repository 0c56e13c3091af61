/**
 * The Python SDK against the TypeScript SDK, same daemon, same run: a heartbeat round trip
 * (`agent.beat` awaited, one in flight) and signal-wait latency (signal.send issued → the waiter's
 * signal.wait resolved, sender and waiter on their own connections). Judged by python ÷ ts of each
 * p50 (and p99); the sync Client's beat (a hop to its loop thread) is shown beside the asyncio one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchboardClient } from '../client';
import { median, percentile, round, spawnDaemon, startRedis, writeResult } from './lib';

const BEATS = Number(process.env.BENCH_ROUNDS ?? 2000);
const SIGNALS = Number(process.env.BENCH_SIGNALS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** scripts/bench.mjs makes the SDK's venv and passes its python. */
const PYTHON = process.env.SWITCHBOARD_PYTHON ?? join(__dirname, '../node_modules/.cache/switchboard-python/bin/python');

type Stats = { p50Ms: number; p99Ms: number };
const stats = (xs: number[]): Stats => ({ p50Ms: round(percentile(xs, 50), 3), p99Ms: round(percentile(xs, 99), 3) });

async function typescript(url: string, token: string): Promise<{ beat: number[]; signal: number[] }> {
  const [sender, waiter] = await Promise.all([SwitchboardClient.connect({ url, token }), SwitchboardClient.connect({ url, token })]);
  await sender.agents.start({ agentId: 'bench-ts' });
  const beat: number[] = [];
  for (let i = 0; i < BEATS; i++) {
    const t = process.hrtime.bigint();
    await sender.agents.beat({ agentId: 'bench-ts' });
    beat.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const signal: number[] = [];
  for (let i = 0; i < SIGNALS; i++) {
    const waiting = waiter.signals.wait({ agentId: 'bench-ts-waiter', timeoutMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 1)); // let the wait arm (not measured)
    const sent = process.hrtime.bigint();
    void sender.signals.send({ from: 'bench', to: 'bench-ts-waiter', type: 'ping', payload: i });
    const got = await waiting;
    signal.push(Number(process.hrtime.bigint() - sent) / 1e6);
    if (got?.payload !== i) throw new Error(`round ${i}: ${JSON.stringify(got)}`);
  }
  sender.close();
  waiter.close();
  return { beat, signal };
}

function python(url: string, token: string): { beat: number[]; signal: number[]; syncBeat: number[] } {
  const out = execFileSync(PYTHON, [join(__dirname, 'python-sdk.py'), url, token, String(BEATS), String(SIGNALS)], { encoding: 'utf8' });
  return JSON.parse(out) as { beat: number[]; signal: number[]; syncBeat: number[] };
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-py-'));
  const d = await spawnDaemon(dir, ['--redis', redis.url]);
  try {
    await typescript(d.url, d.token); // warm-up (JIT, connection buffers)
    const runs: { ts: { beat: Stats; signal: Stats }; python: { beat: Stats; signal: Stats; syncBeat: Stats } }[] = [];
    for (let run = 0; run < RUNS; run++) {
      // alternated within a run, so machine noise falls on both
      const ts = await typescript(d.url, d.token);
      const py = python(d.url, d.token);
      const figures = {
        ts: { beat: stats(ts.beat), signal: stats(ts.signal) },
        python: { beat: stats(py.beat), signal: stats(py.signal), syncBeat: stats(py.syncBeat) },
      };
      runs.push(figures);
      process.stderr.write(`run ${run + 1}: ${JSON.stringify(figures)}\n`);
    }
    const med = (pick: (r: (typeof runs)[number]) => number) => round(median(runs.map(pick)), 3);
    const ratio = (py: number, ts: number) => round(py / ts, 2);
    const summary = {
      tsBeatP50Ms: med((r) => r.ts.beat.p50Ms),
      pythonBeatP50Ms: med((r) => r.python.beat.p50Ms),
      pythonSyncBeatP50Ms: med((r) => r.python.syncBeat.p50Ms),
      tsSignalP50Ms: med((r) => r.ts.signal.p50Ms),
      pythonSignalP50Ms: med((r) => r.python.signal.p50Ms),
      tsSignalP99Ms: med((r) => r.ts.signal.p99Ms),
      pythonSignalP99Ms: med((r) => r.python.signal.p99Ms),
    };
    const ratios = {
      beatP50: ratio(summary.pythonBeatP50Ms, summary.tsBeatP50Ms),
      syncBeatP50: ratio(summary.pythonSyncBeatP50Ms, summary.tsBeatP50Ms),
      signalP50: ratio(summary.pythonSignalP50Ms, summary.tsSignalP50Ms),
      signalP99: ratio(summary.pythonSignalP99Ms, summary.tsSignalP99Ms),
    };
    process.stdout.write(`python ÷ ts: beat p50 ${ratios.beatP50} (sync Client ${ratios.syncBeatP50}), signal wait p50 ${ratios.signalP50}, p99 ${ratios.signalP99}\n`);
    writeResult('python', { beats: BEATS, signals: SIGNALS, runs, median: summary, ratioPythonOverTs: ratios });
  } finally {
    d.child.kill('SIGTERM');
    await d.exited;
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
