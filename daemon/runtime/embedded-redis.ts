/**
 * Embedded mode: the daemon's own redis-server on a unix socket in the state dir, AOF on.
 * The child runs in its own process group so that a Ctrl-C reaches only the daemon, which then
 * stops Redis after its last reply. A Redis left behind by a daemon killed with -9 is adopted by
 * the next daemon instead of being started twice on the same data.
 *
 * The Redis is supervised: if it dies while the daemon runs (our child, or an adopted one whose pid
 * we poll), it is logged and started again on the same socket and data dir, reloading its AOF.
 * Redis write()s the AOF before it replies, so a killed Redis loses no acknowledged write; only an
 * OS crash can lose the last second (`appendfsync everysec`). The daemon's ioredis connections
 * reconnect by themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import Redis from 'ioredis';
import { UserError } from '../../common/user-error';
import { silentLogger, type Logger } from '../../common/logger';


export interface EmbeddedRedis {
  socket: string;
  adopted: boolean;
  /** Stops supervising, then stops the Redis (ours or adopted). */
  stop(): Promise<void>;
}

export interface EmbeddedRedisOptions {
  /** Redis `maxmemory` (e.g. "1gb"); past it writes are refused, never evicted. */
  maxMemory?: string;
  log?: Logger;
}

/** Coordination state must not be evicted, so a full Redis refuses writes (`noeviction`) instead. */
export const DEFAULT_REDIS_MAXMEMORY = '1gb';
export const REDIS_MAXMEMORY_PATTERN = /^[0-9]+(b|kb|mb|gb)?$/;

const MAX_SOCKET_PATH = 100;
/** How often an adopted Redis's pid is checked (it is not our child, so no exit event). */
const PID_POLL_MS = 300;
/** Restart backoff for a Redis that keeps dying: first restart at once, then doubling up to the cap. */
const RESTART_BASE_MS = 250;
const RESTART_MAX_MS = 5_000;
/** A Redis that stayed up this long before dying is restarted at once again (the backoff resets). */
const STABLE_MS = 10_000;
const TAIL_LINES = 10;

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

export async function startEmbeddedRedis(stateDir: string, options: EmbeddedRedisOptions = {}): Promise<EmbeddedRedis> {
  const socket = join(stateDir, 'redis.sock');
  if (socket.length > MAX_SOCKET_PATH) {
    throw new UserError(`state dir ${stateDir} is too long for a unix socket path; pass a shorter --state-dir`);
  }
  const maxMemory = options.maxMemory ?? DEFAULT_REDIS_MAXMEMORY;
  if (!REDIS_MAXMEMORY_PATTERN.test(maxMemory)) {
    throw new UserError(`redisMaxMemory must be a size like 512mb or 1gb (digits, then b, kb, mb or gb), not "${maxMemory}"`);
  }
  const server = new SupervisedRedis(socket, join(stateDir, 'redis'), maxMemory, options.log ?? silentLogger);
  const adopted = await server.start();
  return { socket, adopted, stop: () => server.stop() };
}

class SupervisedRedis {
  private stopping = false;
  /** The redis-server we started, while it runs. */
  private child?: ChildProcess;
  /** The pid of an adopted redis-server, while it runs. */
  private adoptedPid?: number;
  private pidWatch?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private restarting?: Promise<void>;
  /** Deaths in a row of a Redis that did not stay up STABLE_MS: drives the backoff. */
  private quickDeaths = 0;
  /** performance.now() time (a duration is measured from it, so not the wall clock). */
  private upSince = performance.now();

  constructor(
    private readonly socket: string,
    private readonly dataDir: string,
    private readonly maxMemory: string,
    private readonly log: Logger,
  ) {}

  /** Adopts a Redis already serving the socket, else starts one; resolves to whether it adopted. */
  async start(): Promise<boolean> {
    if (await this.adopt()) return true;
    await this.spawn();
    return false;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.pidWatch);
    await this.restarting;
    if (this.child) await terminate(this.child);
    else if (this.adoptedPid !== undefined) await shutdown(this.socket);
  }

  private async adopt(): Promise<boolean> {
    if (!existsSync(this.socket)) return false;
    const running = await adoptRunning(this.socket, this.maxMemory);
    if (!running) return false;
    this.adoptedPid = running.pid;
    this.upSince = performance.now();
    this.pidWatch = setInterval(() => {
      if (isRunning(running.pid)) return;
      clearInterval(this.pidWatch);
      this.adoptedPid = undefined;
      this.died(`(adopted, pid ${running.pid}) is gone`, []);
    }, PID_POLL_MS);
    this.pidWatch.unref();
    return true;
  }

  private async spawn(): Promise<void> {
    const binary = findOnPath('redis-server');
    if (!binary) {
      throw new UserError(
        'redis-server not found on PATH: install it (apt-get install redis-server / brew install redis) or pass --redis redis://HOST:PORT',
      );
    }
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    rmSync(this.socket, { force: true }); // left behind by a Redis that was killed
    const child = spawn(binary, this.args(), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const tail = keepTail(child);
    await ready(child, tail);
    this.child = child;
    this.upSince = performance.now();
    child.once('exit', (code, signal) => {
      this.child = undefined;
      this.died(`(pid ${child.pid}) exited (${signal ?? `code ${code}`})`, tail);
    });
  }

  private args(): string[] {
    return [
      '--port', '0',
      '--unixsocket', this.socket,
      '--unixsocketperm', '700',
      '--dir', this.dataDir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      '--maxmemory', this.maxMemory,
      '--maxmemory-policy', 'noeviction',
      '--daemonize', 'no',
      '--loglevel', 'notice',
    ];
  }

  private died(what: string, tail: string[]): void {
    if (this.stopping) return;
    // One that ran a while is restarted at once; one that keeps dying waits longer each time.
    if (performance.now() - this.upSince >= STABLE_MS) this.quickDeaths = 0;
    const lines = tail.length ? `; its last lines:\n${tail.join('\n')}` : '';
    this.log.error(`embedded Redis ${what} while the daemon runs: restarting it${lines}`);
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delay = this.quickDeaths === 0 ? 0 : Math.min(RESTART_BASE_MS * 2 ** (this.quickDeaths - 1), RESTART_MAX_MS);
    this.quickDeaths++;
    this.restartTimer = setTimeout(() => {
      this.restarting = this.restart().finally(() => (this.restarting = undefined));
    }, delay);
  }

  private async restart(): Promise<void> {
    try {
      // Someone may have started one on our socket meanwhile; two Redis on one AOF would corrupt it.
      if (await this.adopt()) this.log.warn(`embedded Redis is back: adopted the one now serving ${this.socket}`);
      else {
        await this.spawn();
        this.log.warn(`embedded Redis is back (pid ${this.child?.pid}), its data reloaded from the AOF`);
      }
    } catch (error) {
      if (this.stopping) return;
      this.log.error(`embedded Redis did not restart: ${(error as Error).message}`);
      this.scheduleRestart();
    }
  }
}

/** The child's last log lines, collected for its whole life so that its death can be reported with them. */
function keepTail(child: ChildProcess): string[] {
  const tail: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim()) tail.push(line.trim());
      if (tail.length > TAIL_LINES) tail.shift();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return tail;
}

/** Resolves when redis-server says it accepts connections; rejects with its last lines if it exits first. */
function ready(child: ChildProcess, tail: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (!/ready to accept connections/i.test(chunk.toString())) return;
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number | null) =>
      reject(new UserError(`embedded redis-server exited (${code}) before it was ready:\n${tail.join('\n')}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (error) => reject(new UserError(`cannot start redis-server: ${error.message}`)));
  });
}

/**
 * The Redis serving the socket and its pid (undefined if none answers), after giving it our memory
 * settings: it may have been started by an older daemon with other ones.
 */
async function adoptRunning(socket: string, maxMemory: string): Promise<{ pid: number } | undefined> {
  const probe = new Redis({ path: socket, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    const pid = Number(/^process_id:(\d+)/m.exec(await probe.info('server'))?.[1]);
    // Not fatal: a Redis that answers must be adopted, never doubled on the same AOF.
    await probe.config('SET', 'maxmemory', maxMemory, 'maxmemory-policy', 'noeviction').catch(() => {});
    return { pid };
  } catch {
    return undefined;
  } finally {
    probe.disconnect();
  }
}

/**
 * Whether the process runs. A killed adopted Redis is not our child, so nobody may reap it (a
 * container's init often does not): a zombie counts as gone (Linux /proc; elsewhere kill(0) only).
 */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return true;
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
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
