/** barrier.wait — reusable barriers: `parties` arrivals release every waiter of that generation at once. */
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { waitUntil, type Waiters } from '../hub/waiters';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';

export const barrierWaitKey = (name: string) => `barrier:${name}`;

export function barrierHandlers({ redis, keys }: Deps, waiters: Waiters): Pick<Handlers, 'barrier.wait'> {
  const channel = keys.channels.coordination;
  return {
    'barrier.wait': async (p, ctx) => {
      const key = keys.barrier(p.name);
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
  };
}
