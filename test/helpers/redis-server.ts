/** Starts a real redis-server on a free loopback port for a test suite (no persistence unless asked). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../daemon/runtime/embedded-redis';
import { terminate, waitForOutput } from './child-process';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** The server process's id now (a restart starts another). */
  readonly pid: number;
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
    get pid() {
      return child.pid!;
    },
    async stop() {
      closeClients(`redis://127.0.0.1:${port}`);
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

/**
 * A test's own connection to a test Redis. Stopping that Redis closes it, so a test that fails
 * before its own clean-up cannot leave a client reconnecting forever (which kept mocha from ever
 * exiting on CI).
 */
export function redisClient(url: string): Redis {
  const client = new Redis(url);
  const ofUrl = clients.get(url) ?? new Set<Redis>();
  clients.set(url, ofUrl.add(client));
  client.once('end', () => ofUrl.delete(client));
  return client;
}

const clients = new Map<string, Set<Redis>>();

function closeClients(url: string): void {
  for (const client of clients.get(url) ?? []) client.disconnect();
  clients.delete(url);
}

/** Empties the Redis between tests of a suite whose state would otherwise leak (e.g. broadcasts). */
export async function flushRedis(url: string): Promise<void> {
  const redis = redisClient(url);
  try {
    await redis.flushall();
  } finally {
    redis.disconnect();
  }
}
