/** workflow.* — DAGs of steps run as jobs on the dispatch queues, advanced inside Redis by the queue scripts. */
import { randomUUID } from 'node:crypto';
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { rawOrNull, RawJson } from '../store/raw-json';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { definitionFields } from './definition';

type WorkflowHandlers = Pick<
  Handlers,
  'workflow.start' | 'workflow.get' | 'workflow.list' | 'workflow.cancel' | 'workflow.pause' | 'workflow.resume' | 'workflow.retryStep'
>;

/** workflow.list answers this many without `count`. */
const LIST_COUNT = 100;

export function workflowHandlers({ redis, keys, limits }: Deps): WorkflowHandlers {
  const one = (workflowId: string) => ({ workflow: keys.workflow(workflowId) });
  const change = (script: typeof scripts.workflowCancel) => async (p: { workflowId: string }) =>
    rawOrNull(await script.run(redis, one(p.workflowId), { workflowId: p.workflowId }));

  return {
    'workflow.start': async (p) => {
      const workflowId = p.workflowId ?? randomUUID();
      const fields = definitionFields(p, workflowId, keys, limits.maxValueBytes);
      // The queue names set lives in another slot: written beside the script, so queue.list and the
      // sweeper know the queues before their first step is enqueued.
      await redisCall(redis, () => redis.sadd(keys.queueNames, ...new Set(p.steps.map((step) => step.queue))));
      const reply = await scripts.workflowStart.run(
        redis,
        { workflow: keys.workflow(workflowId), ids: keys.workflowIds },
        { workflowId, queuesChannel: keys.channels.queues, workflowsChannel: keys.channels.workflows },
        fields,
      );
      return rawOrNull(reply);
    },

    'workflow.get': async (p) => rawOrNull(await scripts.workflowGet.run(redis, one(p.workflowId), { summary: '0' })),

    'workflow.list': async (p) => {
      const ids = await redisCall(redis, () => redis.zrevrange(keys.workflowIds, 0, (p.count ?? LIST_COUNT) - 1));
      const replies = await Promise.all(ids.map((id) => scripts.workflowGet.run(redis, one(id), { summary: '1' })));
      return new RawJson(`[${replies.filter((reply): reply is string => typeof reply === 'string').join(',')}]`);
    },

    'workflow.cancel': change(scripts.workflowCancel),
    'workflow.pause': change(scripts.workflowPause),
    'workflow.resume': change(scripts.workflowResume),
    'workflow.retryStep': async (p) =>
      rawOrNull(await scripts.workflowRetryStep.run(redis, one(p.workflowId), { workflowId: p.workflowId, step: p.step })),
  };
}
