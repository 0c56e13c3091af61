/** lock.* — named locks (leases) with fencing tokens: one holder at a time, a token larger than any before at each grant. */
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { waitUntil, type Waiters } from '../hub/waiters';
import type { DueRegistry } from '../store/due-registry';
import { RawJson } from '../store/raw-json';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { timeMs, withTime } from './redis-time';
import type { Lock } from '../../protocol/types';

type LockHandlers = Pick<Handlers, 'lock.acquire' | 'lock.renew' | 'lock.release' | 'lock.list'>;

/** What waiters of a lock are keyed by (the frames' key). */
export const lockWaitKey = (name: string) => `lock:${name}`;

export function lockHandlers({ redis, keys }: Deps, waiters: Waiters, registry: DueRegistry): LockHandlers {
  const channel = keys.channels.coordination;

  /** One try: the Lock JSON, or undefined with `heldForMs` set to what is left of the holder's lease. */
  const acquireOnce = async (p: { name: string; owner: string; ttlMs: number }, left: { heldForMs?: number }) => {
    const [granted, body] = (await scripts.lockAcquire.run(redis, keys.lock(p.name), { name: p.name, owner: p.owner, ttlMs: p.ttlMs, channel })) as [
      number,
      string | number,
    ];
    if (granted === 1) {
      registry.known(p.name);
      registry.dueAt(p.name, Date.now() + p.ttlMs);
      return body as string;
    }
    left.heldForMs = Number(body);
    return undefined;
  };

  const release = (p: { name: string; owner: string; fencingToken: number }) =>
    scripts.lockRelease.run(redis, keys.lock(p.name), { name: p.name, owner: p.owner, fencingToken: p.fencingToken, channel });

  return {
    'lock.acquire': async (p, ctx) => {
      const left: { heldForMs?: number } = {};
      const granted = await waitUntil(
        waiters,
        lockWaitKey(p.name),
        p.waitMs ?? 0,
        ctx.waitingCalls,
        () => acquireOnce(p, left),
        // a lease running out is published by the sweep; looking again then needs no frame
        () => left.heldForMs,
      );
      if (granted === undefined) return new RawJson('null');
      // The caller left while the lock was granted: free it now rather than at the end of its lease.
      if (ctx.waitingCalls.ended) {
        await release(JSON.parse(granted) as Lock);
        return new RawJson('null');
      }
      return new RawJson(granted);
    },

    'lock.renew': async (p) => {
      const json = (await scripts.lockRenew.run(redis, keys.lock(p.name), { ...p, channel })) as string;
      registry.dueAt(p.name, Date.now() + p.ttlMs);
      return new RawJson(json);
    },

    'lock.release': async (p) => {
      await release(p);
      return { released: true };
    },

    'lock.list': async () => {
      const names = (await registry.names()).sort();
      const reads = withTime(redis.pipeline());
      for (const name of names) reads.hmget(keys.lock(name).holder, 'owner', 'token', 'expiresAt');
      const replies = (await redisCall(redis, () => reads.exec())) ?? [];
      const now = timeMs(replies);
      const held: Lock[] = [];
      names.forEach((name, i) => {
        const [owner, token, expiresAt] = replies[i + 1]![1] as [string | null, string | null, string | null];
        if (owner !== null && Number(expiresAt) > now) held.push({ name, owner, fencingToken: Number(token), expiresAt: Number(expiresAt) });
      });
      return held;
    },
  };
}

