/**
 * Daemon ready time in embedded mode: from spawn to the `switchboard ready` line, with a fresh
 * state dir (so the embedded redis-server starts too). Target ≤ 1 s. Judged with the time a bare
 * redis-server takes to say it is ready, measured in the same run: ratio = daemon ÷ redis.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../test/helpers/daemon-process';
import { median, round, writeResult } from './lib';
import { freePort } from '../test/helpers/redis-server';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Spawns a command, resolves with ms until a stdout line matches, then stops it. */
function timeUntil(command: string, args: string[], ready: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', function onData(chunk: Buffer) {
      out += chunk.toString();
      if (!ready.test(out)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.stdout.off('data', onData);
      child.stdout.resume();
      child.once('exit', () => resolve(ms));
      child.kill('SIGTERM');
    });
    child.once('error', reject);
  });
}

async function main(): Promise<void> {
  const runs: { daemonMs: number; redisMs: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const stateDir = mkdtempSync(join(tmpdir(), 'sb-bench-ready-'));
    const daemonMs = await timeUntil(process.execPath, [CLI, 'daemon', '--state-dir', stateDir, '--port', '0'], /switchboard ready/);
    rmSync(stateDir, { recursive: true, force: true });
    const dir = mkdtempSync(join(tmpdir(), 'sb-bench-redis-'));
    const redisMs = await timeUntil('redis-server', ['--port', String(await freePort()), '--dir', dir, '--save', '', '--appendonly', 'yes'], /ready to accept connections/i);
    rmSync(dir, { recursive: true, force: true });
    runs.push({ daemonMs: round(daemonMs, 1), redisMs: round(redisMs, 1) });
    process.stderr.write(`run ${i + 1}: daemon ${round(daemonMs, 1)} ms, bare redis-server ${round(redisMs, 1)} ms\n`);
  }
  const daemonMs = median(runs.map((r) => r.daemonMs));
  const redisMs = median(runs.map((r) => r.redisMs));
  writeResult('ready', { runs, median: { daemonMs, redisMs, ratio: round(daemonMs / redisMs, 1) }, target: { daemonMs: 1000 } });
}

void main();
