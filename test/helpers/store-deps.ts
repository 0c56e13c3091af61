/** Deps for testing a daemon part (with a clock of the test's) on a real Redis, without a daemon. */
import type Redis from 'ioredis';
import { redisClient } from './redis-server';
import type { Deps } from '../../daemon/domain/deps';
import { AuditTrail } from '../../daemon/safety/audit';
import type { AuditEntry } from '../../protocol/types';
import { createKeys } from '../../daemon/store/keys';
import { defineScripts } from '../../daemon/store/scripts';
import { DEFAULT_LIMITS } from '../../protocol/limits';

export interface StoreDeps {
  deps: Deps;
  /** Another connection to the same Redis, with the same scripts (for concurrent callers). */
  connection(): Redis;
  close(): void;
}

/** The hub is absent: parts tested this way publish through Redis, which tests watch directly. */
export function storeDeps(redisUrl: string, namespace = 'sb'): StoreDeps {
  const opened: Redis[] = [];
  const connection = () => {
    const redis = redisClient(redisUrl);
    defineScripts(redis);
    opened.push(redis);
    return redis;
  };
  const deps = { redis: connection(), keys: createKeys(namespace), daemonId: 'test', version: 'test', limits: DEFAULT_LIMITS } as Omit<Deps, 'hub'> as Deps;
  return { deps, connection, close: () => opened.forEach((redis) => redis.disconnect()) };
}

/** The newest audit entries (of one kind, if given) the daemons on this Redis wrote, oldest first. */
export async function auditEntries(redisUrl: string, kind?: string): Promise<AuditEntry[]> {
  const store = storeDeps(redisUrl);
  try {
    return await new AuditTrail(store.deps).read(100, kind);
  } finally {
    store.close();
  }
}
