/** Redis connections: commands (scripts defined) and pub/sub. */
import Redis, { type RedisOptions } from 'ioredis';
import { RpcError, ErrorCode } from '../../protocol/errors';
import { CallDeadlines } from './call-deadlines';
import { scriptError } from './script-errors';

export interface RedisTarget {
  /** redis:// or rediss:// URL */
  url?: string;
  /** unix socket path (embedded mode) */
  path?: string;
}

const baseOptions: RedisOptions = {
  // Fail fast while Redis is away (-32005) instead of queueing calls behind a reconnect.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
  lazyConnect: true,
};

const DEFAULT_URL = 'redis://127.0.0.1:6379';

export function connectRedis(target: RedisTarget, name: string, extra: RedisOptions = {}): Redis {
  const options: RedisOptions = { ...baseOptions, connectionName: name, ...extra };
  return target.path ? new Redis({ ...options, path: target.path }) : new Redis(target.url ?? DEFAULT_URL, options);
}

/**
 * Commands connection. Auto-pipelining stays off: agents keep one call in flight each, and
 * deferring every write to the next tick cost more latency than the batching saved
 * (bench/heartbeat.ts: about 17k beats/s with it, 23k without, on the 2-core reference machine).
 */
export async function openCommandConnection(target: RedisTarget, commandTimeoutMs: number): Promise<Redis> {
  const redis = connectRedis(target, 'switchboard');
  // A stalled Redis (paused, swapping, a slow script of another client) answers -32005 after the
  // timeout instead of holding every call.
  deadlines.set(redis, new CallDeadlines(commandTimeoutMs));
  await connectOrExplain(redis, target);
  return redis;
}

/** Start-up could not reach or log in to Redis; the message says why, so no stack is needed. */
export class RedisConnectError extends Error {}

/**
 * Connects, or fails with Redis's own reason (WRONGPASS, NOAUTH, ECONNREFUSED…) instead of
 * ioredis's bare "Connection is closed.", and ends the reconnect loop.
 */
async function connectOrExplain(redis: Redis, target: RedisTarget): Promise<void> {
  let lastError: Error | undefined;
  const remember = (error: Error) => (lastError = error);
  redis.on('error', remember);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const where = target.path ? `unix://${target.path}` : redactUrl(target.url ?? DEFAULT_URL);
    throw new RedisConnectError(`cannot connect to Redis at ${where}: ${(lastError ?? (error as Error)).message}`);
  } finally {
    redis.off('error', remember);
  }
}

/** The URL without its secrets (userinfo password, `?password=`), for daemon.json and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) if (/pass/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Runs Redis commands (scripts too, through Script.run) with the call timeout, turning failures into RPC errors. */
export async function redisCall<T>(redis: Redis, work: () => Promise<T>): Promise<T> {
  const limit = deadlines.get(redis);
  try {
    return await (limit ? limit.within(work()) : work());
  } catch (error) {
    throw toRpcError(error);
  }
}

/** The command connections' timeouts (connections opened otherwise, like the subscriber's, have none). */
const deadlines = new WeakMap<Redis, CallDeadlines>();

export function toRpcError(error: unknown): unknown {
  if (error instanceof RpcError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // noeviction: Redis refuses a write (a whole script, before its first write) rather than evict.
  if (/\bOOM command not allowed\b/.test(message)) {
    return new RpcError(ErrorCode.RedisUnavailable, 'Redis is out of memory (maxmemory reached): the write was refused and nothing changed', {
      rule: 'maxmemory',
    });
  }
  const fromScript = scriptError(message);
  if (fromScript) return fromScript;
  if (error instanceof Error && error.name !== 'ReplyError') {
    return new RpcError(ErrorCode.RedisUnavailable, `Redis unavailable: ${message}`);
  }
  return error;
}
