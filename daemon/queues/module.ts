/** The queues domain: queue.* methods, wake-ups of blocked queue.receive calls, the due-job sweep, the stats pushes. */
import { SWEEP_BATCH, type DomainModule } from '../domain/module';
import { Waiters } from '../hub/waiters';
import { redisCall } from '../store/redis';
import { DueRegistry } from '../store/due-registry';
import { scripts } from '../store/scripts';
import { SampledPush } from '../hub/sampled-push';
import { queueHandlers, queueSummaries } from './handlers';

/**
 * Frames that wake the receivers blocked on that queue: a job can be received now, or one will be
 * at a time they learn by looking again (delayed, or nacked with a backoff).
 */
const WAKING = new Set(['queue.enqueued', 'job.retrying']);

export const queuesModule: DomainModule = {
  name: 'queues',
  create(deps) {
    const { redis, keys } = deps;
    /** queue.receive callers, keyed by queue. */
    const waiters = new Waiters();
    const registry = new DueRegistry(redis, { names: keys.queueNames, due: keys.queuesDue }, () => {
      // A lost hint or name only delays a sweep or queue.list; the next call on that queue repeats it.
    });
    // Receives and acks publish nothing (a frame per job would cost every daemon a message per
    // job), so the counts reach subscribers sampled.
    const stats = new SampledPush({
      hub: deps.hub,
      topic: 'queues',
      type: 'queue.stats',
      read: async () => ({ ts: Date.now(), samples: (await queueSummaries(deps, registry)).map(({ queue, json }) => ({ key: queue, json })) }),
    });
    const handlers = queueHandlers(deps, waiters, registry, (target) => stats.snapshotTaken(target));

    /** Visits the queues whose delayed jobs or deliveries fell due. */
    const sweepDue = async () => {
      const due = await registry.due(SWEEP_BATCH);
      for (const queue of due) {
        const queueKeys = keys.queue(queue);
        const next = await scripts.queueMaintain.run(redis, queueKeys, {
          jobPrefix: queueKeys.jobPrefix,
          queue,
          batch: SWEEP_BATCH,
          channel: keys.channels.queues,
        });
        await registry.visited(queue, Number(next));
      }
      return due.length;
    };

    return {
      handlers,
      channels: [
        {
          name: keys.channels.queues,
          topics: () => ['queues'],
          wake: (frame) => {
            if (WAKING.has(frame.type)) waiters.notify(frame.key);
          },
          wakeAll: () => waiters.notifyAll(),
        },
      ],
      sweeps: [sweepDue, () => stats.push()],
      gauges: [
        {
          name: 'switchboard_queues',
          help: 'Queues known (all daemons on this Redis)',
          read: () => redisCall(redis, () => redis.scard(keys.queueNames)),
        },
      ],
    };
  },
};
