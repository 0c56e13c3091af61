/** ratelimit.take and quota.take — limits every daemon on one Redis shares, on the Redis clock. */
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { scripts } from '../store/scripts';

export function rateLimitHandlers({ redis, keys }: Deps): Pick<Handlers, 'ratelimit.take' | 'quota.take'> {
  return {
    'ratelimit.take': async (p) => {
      const [allowed, remaining, retryAfterMs] = (await scripts.ratelimitTake.run(redis, { bucket: keys.bucket(p.key) }, {
        rate: p.rate,
        burst: p.burst,
        cost: p.cost ?? 1,
      })) as [number, number, number];
      return { allowed: allowed === 1, remaining, retryAfterMs };
    },

    'quota.take': async (p) => {
      const [allowed, remaining, retryAfterMs, resetAt] = (await scripts.quotaTake.run(redis, { quota: keys.quota(p.key) }, {
        limit: p.limit,
        periodMs: p.periodMs,
        sliding: p.window === 'sliding' ? 1 : 0,
        cost: p.cost ?? 1,
      })) as [number, number, number, string];
      return { allowed: allowed === 1, remaining, retryAfterMs, resetAt: Number(resetAt) };
    },
  };
}
