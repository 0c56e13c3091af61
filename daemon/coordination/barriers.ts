/** barrier.wait, barrier.list — reusable barriers: `parties` arrivals release every waiter of that generation at once. */
import type { BarrierInfo } from '../../protocol/types';
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { waitUntil, type Waiters } from '../hub/waiters';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';

export const barrierWaitKey = (name: string) => `barrier:${name}`;

/** How long past its waiter's timeout a barrier stays listed: as long as the arrive script keeps its state (EXPIRED_KEPT_MS). */
const LISTED_PAST_TIMEOUT_MS = 60_000;

export function barrierHandlers({ redis, keys }: Deps, waiters: Waiters): Pick<Handlers, 'barrier.wait' | 'barrier.list'> {
  const channel = keys.channels.coordination;
  const registry = keys.barrierRegistry;

  /**
   * Names the barrier for barrier.list until its state may have expired, and forgets the names
   * whose time passed. A hint beside the arrive script (the registry is in another slot): one
   * lost leaves the barrier out of the listing until its next arrival; GT keeps the latest end.
   */
  const listed = (name: string, timeoutMs: number) => {
    const now = Date.now();
    redis
      .pipeline()
      .zremrangebyscore(registry, '-inf', now)
      .zadd(registry, 'GT', now + timeoutMs + LISTED_PAST_TIMEOUT_MS, name)
      .exec()
      .catch(() => {});
  };

  return {
    'barrier.wait': async (p, ctx) => {
      const key = keys.barrier(p.name);
      listed(p.name, p.timeoutMs);
      const [released, arrived, generation] = (await scripts.barrierArrive.run(redis, { barrier: key }, {
        name: p.name,
        parties: p.parties,
        keepMs: p.timeoutMs,
        channel,
      })) as [number, number, number];
      if (released === 1) return { released: true, arrived, generation };
      // Released once the generation moved on, whichever daemon's caller was the last to arrive.
      const moved = await waitUntil(waiters, barrierWaitKey(p.name), p.timeoutMs, ctx.waitingCalls, async () => {
        const current = await redisCall(redis, () => redis.hget(key, 'generation'));
        return current !== null && Number(current) !== generation ? true : undefined;
      });
      if (moved) return { released: true, arrived: p.parties, generation };
      // Withdrawn atomically, unless the release came in between.
      const [late, left] = (await scripts.barrierLeave.run(redis, { barrier: key }, { name: p.name, generation, channel })) as [number, number];
      if (late === 1) return { released: true, arrived: p.parties, generation };
      return { released: false, arrived: left + 1, generation };
    },

    'barrier.list': async () => {
      const names = await redisCall(redis, () => redis.zrangebyscore(registry, Date.now(), '+inf'));
      names.sort();
      const reads = redis.pipeline();
      for (const name of names) reads.hmget(keys.barrier(name), 'generation', 'arrived', 'parties');
      const replies = (await redisCall(redis, () => reads.exec())) ?? [];
      const waiting: BarrierInfo[] = [];
      names.forEach((name, i) => {
        const [generation, arrived, parties] = (replies[i]![1] ?? []) as (string | null)[];
        if (Number(arrived ?? 0) > 0) waiting.push({ name, parties: Number(parties), arrived: Number(arrived), generation: Number(generation ?? 0) });
      });
      return waiting;
    },
  };
}
