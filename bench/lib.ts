/** Shared bench helpers: statistics, result files, daemon processes, raw WebSocket clients. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { spawnDaemon, type DaemonProcess } from '../test/helpers/daemon-process';
import { startRedis } from '../test/helpers/redis-server';

export { spawnDaemon, startRedis };

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const median = (values: number[]) => percentile(values, 50);
export const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export function writeResult(name: string, result: Record<string, unknown>): void {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const record = { bench: name, at: new Date().toISOString(), machine: { cpus: cpus().length, memGiB: round(totalmem() / 2 ** 30, 1), node: process.version }, ...result };
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return round(Number(line?.split(/\s+/)[1] ?? NaN) / 1024, 1);
}

/** The median Redis PING round trip (ms), the yardstick of the latency benches. */
export async function redisRoundTripMs(url: string): Promise<number> {
  const redis = new Redis(url);
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = process.hrtime.bigint();
    await redis.ping();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  redis.disconnect();
  return median(samples);
}

/** redis-benchmark's SET rate on the same Redis, the yardstick of the heartbeat bench. */
export function redisBenchmarkSet(port: number, clients = 50, requests = 200_000): number {
  const out = execFileSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', 'set', '-c', String(clients), '-P', '1', '-n', String(requests), '-q'], {
    encoding: 'utf8',
  });
  const match = /SET: ([\d.]+) requests per second/.exec(out);
  if (!match) throw new Error(`cannot read redis-benchmark output: ${out}`);
  return Number(match[1]);
}

/** A bare JSON-RPC WebSocket client: no SDK overhead in the load generator. */
export class RawClient {
  private nextId = 1;
  private rawPending = false;
  private readonly waiting = new Map<number, (reply: { result?: unknown; error?: { message: string } }) => void>();
  onEvent?: (params: unknown) => void;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      if (this.rawPending) return;
      const parsed = JSON.parse(data.toString());
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        if (message.method === 'event') {
          this.onEvent?.(message.params);
          continue;
        }
        const done = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        done?.(message);
      }
    });
  }

  static open(url: string, token: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
    });
  }

  call<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (reply) => (reply.error ? reject(new Error(reply.error.message)) : resolve(reply.result as T)));
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** One call whose reply comes back as unparsed text (to time the daemon, not the client's JSON.parse). */
  rawCall(method: string, params: unknown): Promise<string> {
    this.rawPending = true;
    return new Promise((resolve) => {
      this.ws.once('message', (data) => {
        this.rawPending = false;
        resolve(data.toString());
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 0, method, params }));
    });
  }

  /** Several calls in one frame (a JSON-RPC batch). */
  batch(calls: [string, unknown][]): Promise<unknown[]> {
    const messages = calls.map(([method, params]) => ({ jsonrpc: '2.0', id: this.nextId++, method, params }));
    const replies = messages.map(
      ({ id }) =>
        new Promise((resolve, reject) => {
          this.waiting.set(id, (reply) => (reply.error ? reject(new Error(reply.error.message)) : resolve(reply.result)));
        }),
    );
    this.ws.send(JSON.stringify(messages));
    return Promise.all(replies);
  }

  close(): void {
    this.ws.close();
  }
}

/** One Redis and two daemons on it (the across-daemons benches); `stop` ends all three and removes the state dirs. */
export async function twoDaemons(): Promise<{ redis: { url: string }; a: DaemonProcess; b: DaemonProcess; stop(): Promise<void> }> {
  const redis = await startRedis();
  const dirs = [mkdtempSync(join(tmpdir(), 'sb-bench-a-')), mkdtempSync(join(tmpdir(), 'sb-bench-b-'))];
  const [a, b] = await Promise.all(dirs.map((dir) => spawnDaemon(dir, ['--redis', redis.url])));
  return {
    redis,
    a: a!,
    b: b!,
    async stop() {
      for (const d of [a!, b!]) {
        d.child.kill('SIGTERM');
        await d.exited;
      }
      await redis.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One daemon process on a fresh Redis, with its state dir (a bench that runs a client against daemon.json, as `switchboard mcp` does). */
export async function oneDaemon(): Promise<{ redis: { url: string }; daemon: DaemonProcess; stateDir: string; stop(): Promise<void> }> {
  const redis = await startRedis();
  const stateDir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
  const daemon = await spawnDaemon(stateDir, ['--redis', redis.url]);
  return {
    redis,
    daemon,
    stateDir,
    async stop() {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
      await redis.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
