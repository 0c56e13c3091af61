/**
 * The coordination domain: locks with fencing tokens, semaphores, barriers, rate limits and quotas
 * (docs/coordination.md); wake-ups of the calls blocked on them, from any daemon; the expiry sweeps.
 */
import { SWEEP_BATCH, type DomainModule } from '../domain/module';
import { Waiters } from '../hub/waiters';
import { DueRegistry } from '../store/due-registry';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { barrierHandlers } from './barriers';
import { lockHandlers } from './locks';
import { rateLimitHandlers } from './rate-limits';
import { semaphoreHandlers } from './semaphores';

/** Frames after which a blocked acquire or barrier wait may succeed: something was given back or released. */
const WAKING = new Set(['lock.released', 'lock.expired', 'semaphore.released', 'semaphore.expired', 'barrier.released']);

export const coordinationModule: DomainModule = {
  name: 'coordination',
  create(deps) {
    const { redis, keys } = deps;
    /** Blocked lock.acquire, semaphore.acquire and barrier.wait calls, keyed by the frames' key ("lock:<name>"…). */
    const waiters = new Waiters();
    // A lost hint or name only delays an expiry event or leaves a name out of a listing until its next grant.
    const ignore = () => {};
    const locks = new DueRegistry(redis, keys.lockRegistry, ignore);
    const semaphores = new DueRegistry(redis, keys.semaphoreRegistry, ignore);

    /** Visits the items whose earliest lease may have run out; each visit publishes the expiries and answers the next one. */
    const expirySweep = (registry: DueRegistry, visit: (name: string) => Promise<unknown>) => async () => {
      const due = await registry.due(SWEEP_BATCH);
      for (const name of due) await registry.visited(name, Number(await visit(name)));
      return due.length;
    };
    const channel = keys.channels.coordination;

    return {
      handlers: {
        ...lockHandlers(deps, waiters, locks),
        ...semaphoreHandlers(deps, waiters, semaphores),
        ...barrierHandlers(deps, waiters),
        ...rateLimitHandlers(deps),
      },
      channels: [
        {
          name: channel,
          topics: () => ['coordination'],
          wake: (frame) => {
            if (WAKING.has(frame.type)) waiters.notify(frame.key);
          },
          wakeAll: () => waiters.notifyAll(),
        },
      ],
      sweeps: [
        expirySweep(locks, (name) => scripts.lockExpire.run(redis, keys.lock(name), { name, channel })),
        expirySweep(semaphores, (name) => scripts.semaphoreExpire.run(redis, keys.semaphore(name), { name, channel })),
      ],
      gauges: [
        {
          name: 'switchboard_lock_names',
          help: 'Lock names ever granted (all daemons on this Redis)',
          read: () => redisCall(redis, () => redis.scard(keys.lockRegistry.names)),
        },
      ],
    };
  },
};
