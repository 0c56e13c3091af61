/**
 * Embedded mode: the daemon's own redis-server on a unix socket in the state dir, AOF on.
 * The child runs in its own process group so that a Ctrl-C reaches only the daemon, which then
 * stops Redis after its last reply. A Redis left behind by a daemon killed with -9 is adopted by
 * the next daemon instead of being started twice on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import Redis from 'ioredis';

export class UserError extends Error {}

export interface EmbeddedRedis {
  socket: string;
  adopted: boolean;
  stop(): Promise<void>;
}

const MAX_SOCKET_PATH = 100;

export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function startEmbeddedRedis(stateDir: string): Promise<EmbeddedRedis> {
  const socket = join(stateDir, 'redis.sock');
  if (socket.length > MAX_SOCKET_PATH) {
    throw new UserError(`state dir ${stateDir} is too long for a unix socket path; pass a shorter --state-dir`);
  }
  if (existsSync(socket)) {
    if (await answersPing(socket)) return { socket, adopted: true, stop: () => shutdown(socket) };
    rmSync(socket, { force: true });
  }
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new UserError(
      'redis-server not found on PATH: install it (apt-get install redis-server / brew install redis) or pass --redis redis://HOST:PORT',
    );
  }
  const dataDir = join(stateDir, 'redis');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const child = spawn(
    binary,
    [
      '--port', '0',
      '--unixsocket', socket,
      '--unixsocketperm', '700',
      '--dir', dataDir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      '--daemonize', 'no',
      '--loglevel', 'notice',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  await ready(child);
  return {
    socket,
    adopted: false,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resolves when redis-server says it accepts connections; rejects with its last lines if it exits first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim()) tail.push(line.trim());
        if (tail.length > 10) tail.shift();
        if (/ready to accept connections/i.test(line)) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          child.off('exit', onExit);
          resolve();
        }
      }
    };
    const onExit = (code: number | null) =>
      reject(new UserError(`embedded redis-server exited (${code}) before it was ready:\n${tail.join('\n')}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (error) => reject(new UserError(`cannot start redis-server: ${error.message}`)));
  });
}

async function answersPing(socket: string): Promise<boolean> {
  const probe = new Redis({ path: socket, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function shutdown(socket: string): Promise<void> {
  const client = new Redis({ path: socket, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.shutdown().catch(() => {}); // the connection drops as Redis exits
  } catch {
    // already gone
  } finally {
    client.disconnect();
  }
}
