/** Redis connections: commands (scripts defined) and pub/sub. */
import Redis, { type RedisOptions } from 'ioredis';
import { RpcError, ErrorCode } from '../../protocol/errors';
import { defineScripts, type ScriptName } from './scripts';

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

export function connectRedis(target: RedisTarget, name: string, extra: RedisOptions = {}): Redis {
  const options: RedisOptions = { ...baseOptions, connectionName: name, ...extra };
  return target.path ? new Redis({ ...options, path: target.path }) : new Redis(target.url ?? 'redis://127.0.0.1:6379', options);
}

/**
 * Commands connection. Auto-pipelining stays off: agents keep one call in flight each, and
 * deferring every write to the next tick cost more latency than the batching saved
 * (bench/heartbeat.ts: about 17k beats/s with it, 23k without, on the 2-core reference machine).
 */
export async function openCommandConnection(target: RedisTarget): Promise<Redis> {
  const redis = connectRedis(target, 'switchboard');
  defineScripts(redis);
  await redis.connect();
  return redis;
}

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

/** Runs a named script; turns its NOT_FOUND / CONFLICT replies and connection failures into RPC errors. */
export async function runScript(redis: Redis, name: ScriptName, keys: string[], args: (string | number)[]): Promise<unknown> {
  const fn = (redis as unknown as Record<ScriptName, ScriptFn>)[name];
  try {
    return await fn.call(redis, ...keys, ...args);
  } catch (error) {
    throw toRpcError(error);
  }
}

/** Runs plain Redis commands, turning connection failures into -32005 like runScript does. */
export async function redisCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toRpcError(error);
  }
}

const SCRIPT_ERRORS: Record<string, number> = { NOT_FOUND: ErrorCode.NotFound, CONFLICT: ErrorCode.Conflict };

export function toRpcError(error: unknown): unknown {
  if (error instanceof RpcError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const match = /^(?:ERR )?(NOT_FOUND|CONFLICT) (.*)$/s.exec(message);
  const code = match ? SCRIPT_ERRORS[match[1]!] : undefined;
  if (match && code !== undefined) return new RpcError(code, match[2]!.replace(/ script: \w+, on @user_script.*$/s, ''));
  if (error instanceof Error && error.name !== 'ReplyError') {
    return new RpcError(ErrorCode.RedisUnavailable, `Redis unavailable: ${message}`);
  }
  return error;
}
