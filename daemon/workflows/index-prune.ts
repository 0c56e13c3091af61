/**
 * The workflow index's retention sweep: a workflow's hash expires by itself once it has ended
 * (workflowRetentionMs), but its id in `workflowIds` lives in another slot, which no workflow script
 * may touch, so a sweep drops the ids whose hash is gone. It walks the index a batch at a time from
 * where it stopped, oldest first, and starts over at the end: a pass costs one EXISTS per workflow
 * kept, spread over the pass, however many are running.
 */
import type { Deps } from '../domain/deps';
import { SWEEP_BATCH } from '../domain/module';
import { redisCall } from '../store/redis';
import { isPastStart } from './handlers';

/** A batch of the index is checked at most this often (the sweeper runs every 250 ms). */
const PRUNE_EVERY_MS = 5_000;

export function indexPrune({ redis, keys }: Deps): () => Promise<number> {
  let after = '-inf';
  let dueAt = 0;
  return async () => {
    if (Date.now() < dueAt) return 0;
    dueAt = Date.now() + PRUNE_EVERY_MS;
    const page = await redisCall(redis, () => redis.zrangebyscore(keys.workflowIds, after, '+inf', 'WITHSCORES', 'LIMIT', 0, SWEEP_BATCH));
    const ids = page.filter((_, i) => i % 2 === 0);
    after = ids.length < SWEEP_BATCH ? '-inf' : `(${page[page.length - 1]}`;
    if (ids.length === 0) return 0;
    const exists = await redisCall(redis, () => {
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.exists(keys.workflow(id));
      return pipeline.exec();
    });
    const gone = ids.filter((_, i) => exists?.[i]?.[1] === 0 && isPastStart(Number(page[2 * i + 1])));
    if (gone.length > 0) await redisCall(redis, () => redis.zrem(keys.workflowIds, ...gone));
    // a whole batch gone (many runs ended together): the sweeper calls again at once
    if (gone.length === SWEEP_BATCH) dueAt = 0;
    return gone.length;
  };
}
