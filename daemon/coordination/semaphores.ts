/** semaphore.* — counting semaphores: at most `limit` permits held at once, each returning by itself when its ttl runs out. */
import { randomUUID } from 'node:crypto';
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { waitUntil, type Waiters } from '../hub/waiters';
import type { DueRegistry } from '../store/due-registry';
import { RawJson } from '../store/raw-json';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import type { Permit, SemaphoreInfo } from '../../protocol/types';
import { timeMs, withTime } from './redis-time';

type SemaphoreHandlers = Pick<Handlers, 'semaphore.acquire' | 'semaphore.renew' | 'semaphore.release' | 'semaphore.list'>;

export const semaphoreWaitKey = (name: string) => `semaphore:${name}`;
/** The owners hash's field holding the latest limit (permit ids are UUIDs: never this). */
const LIMIT_FIELD = '#limit';

export function semaphoreHandlers({ redis, keys }: Deps, waiters: Waiters, registry: DueRegistry): SemaphoreHandlers {
  const channel = keys.channels.coordination;

  const acquireOnce = async (p: { name: string; owner: string; limit: number; ttlMs: number }, left: { fullForMs?: number }) => {
    const [granted, body, earliest] = (await scripts.semaphoreAcquire.run(redis, keys.semaphore(p.name), {
      name: p.name,
      owner: p.owner,
      limit: p.limit,
      ttlMs: p.ttlMs,
      permitId: randomUUID(),
      channel,
    })) as [number, string | number, string?];
    if (granted === 1) {
      registry.known(p.name);
      registry.dueAt(p.name, Number(earliest));
      return body as string;
    }
    left.fullForMs = Number(body);
    return undefined;
  };

  const release = (name: string, permitId: string) => scripts.semaphoreRelease.run(redis, keys.semaphore(name), { name, permitId, channel });

  return {
    'semaphore.acquire': async (p, ctx) => {
      const left: { fullForMs?: number } = {};
      const granted = await waitUntil(
        waiters,
        semaphoreWaitKey(p.name),
        p.waitMs ?? 0,
        ctx.waitingCalls,
        () => acquireOnce(p, left),
        // the earliest permit running out frees one without a frame from another caller
        () => left.fullForMs,
      );
      if (granted === undefined) return new RawJson('null');
      if (ctx.waitingCalls.ended) {
        await release(p.name, (JSON.parse(granted) as Permit).permitId);
        return new RawJson('null');
      }
      return new RawJson(granted);
    },

    'semaphore.renew': async (p) => {
      const json = (await scripts.semaphoreRenew.run(redis, keys.semaphore(p.name), { ...p, channel })) as string;
      registry.dueAt(p.name, Date.now() + p.ttlMs);
      return new RawJson(json);
    },

    'semaphore.release': async (p) => {
      await release(p.name, p.permitId);
      return { released: true };
    },

    'semaphore.list': async () => {
      const names = (await registry.names()).sort();
      const reads = withTime(redis.pipeline());
      for (const name of names) {
        const semaphore = keys.semaphore(name);
        reads.zrange(semaphore.permits, 0, -1, 'WITHSCORES');
        reads.hgetall(semaphore.owners);
      }
      const replies = (await redisCall(redis, () => reads.exec())) ?? [];
      const now = timeMs(replies);
      const listed: SemaphoreInfo[] = [];
      names.forEach((name, i) => {
        const permits = (replies[1 + 2 * i]![1] ?? []) as string[];
        const owners = (replies[2 + 2 * i]![1] ?? {}) as Record<string, string>;
        const holders: SemaphoreInfo['holders'] = [];
        for (let j = 0; j < permits.length; j += 2) {
          const expiresAt = Number(permits[j + 1]);
          if (expiresAt > now) holders.push({ permitId: permits[j]!, owner: owners[permits[j]!] ?? '', expiresAt });
        }
        if (holders.length > 0) listed.push({ name, limit: Number(owners[LIMIT_FIELD] ?? 0), holders });
      });
      return listed;
    },
  };
}

