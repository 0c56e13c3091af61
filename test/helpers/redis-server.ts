/** Starts a real redis-server on a free loopback port for a test suite (no persistence unless asked). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../daemon/runtime/embedded-redis';
import { terminate, waitForOutput } from './child-process';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops it and removes its data dir. */
  stop(): Promise<void>;
  /** Stops the server only (SIGTERM; with persistence the AOF is fsynced): an outage. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  restart(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `args`: more redis-server options, e.g. ['--requirepass', 'secret']. */
export async function startRedis(options: { persistence?: boolean; args?: string[] } = {}): Promise<TestRedis> {
  if (!findOnPath('redis-server')) {
    throw new Error('redis-server is not installed: the tests need a real one (apt-get install redis-server / brew install redis)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'sb-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no'];
  args.push('--appendonly', options.persistence ? 'yes' : 'no', ...(options.args ?? []));
  let child: ChildProcess = await launch(args);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      await terminate(child);
      rmSync(dir, { recursive: true, force: true });
    },
    async pause() {
      await terminate(child);
    },
    async restart() {
      await terminate(child);
      child = await launch(args);
    },
  };
}

async function launch(args: string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForOutput(child, /ready to accept connections/i, 'redis-server');
  return child;
}

/** Empties the Redis between tests of a suite whose state would otherwise leak (e.g. broadcasts). */
export async function flushRedis(url: string): Promise<void> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url);
  try {
    await redis.flushall();
  } finally {
    redis.disconnect();
  }
}
