/** workflow.* — DAGs of steps run as jobs on the dispatch queues, advanced inside Redis by the queue scripts. */
import { randomUUID } from 'node:crypto';
import { capabilityText } from '../../protocol/capability';
import { ErrorCode, RpcError } from '../../protocol/errors';
import { DEFAULTS } from '../../protocol/limits';
import type { ParamsOf } from '../../protocol/schemas';
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { liveAgentsWith } from '../store/capable-agents';
import { rawOrNull, RawJson } from '../store/raw-json';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { definitionFields, stepQueue } from './definition';

type WorkflowHandlers = Pick<
  Handlers,
  'workflow.start' | 'workflow.get' | 'workflow.list' | 'workflow.cancel' | 'workflow.pause' | 'workflow.resume' | 'workflow.retryStep'
>;

/** workflow.list answers this many without `count`. */
/**
 * An indexed id without its workflow hash is dropped once it is older than this: younger, it may be
 * a start between its index write and its script (another daemon's clock, too, may be this far off).
 */
export const START_GRACE_MS = 60_000;
export const isPastStart = (indexedAt: number) => indexedAt < Date.now() - START_GRACE_MS;

export function workflowHandlers({ redis, keys, limits }: Deps): WorkflowHandlers {
  const one = (workflowId: string) => ({ workflow: keys.workflow(workflowId) });
  const change = (script: typeof scripts.workflowCancel) => async (p: { workflowId: string }) =>
    rawOrNull(await script.run(redis, one(p.workflowId), { workflowId: p.workflowId }));

  /** Refuses a step whose capability no live agent advertises (-32602 naming the step): its job would wait for nobody. */
  const checkAdvertised = async (steps: ParamsOf<'workflow.start'>['steps']) => {
    const asked = new Map<string, Promise<boolean>>();
    for (const [k, step] of steps.entries()) {
      if (!step.capability) continue;
      const text = capabilityText(step.capability);
      if (!asked.has(text)) asked.set(text, liveAgentsWith(redis, keys, step.capability.name, step.capability.version).then((agents) => agents.length > 0));
      if (!(await asked.get(text))) {
        throw new RpcError(ErrorCode.InvalidParams, `invalid params: step "${step.name}" names capability "${text}", which no live agent advertises`, {
          field: `steps[${k}].capability`,
          rule: 'advertised',
        });
      }
    }
  };

  return {
    'workflow.start': async (p) => {
      const workflowId = p.workflowId ?? randomUUID();
      const workflow = keys.workflow(workflowId);
      const fields = definitionFields(p, workflowId, keys, limits.maxValueBytes);
      // An existing workflow is answered as it stands (idempotent start), whoever is alive now.
      const isNew = (await redisCall(redis, () => redis.exists(workflow))) === 0;
      if (isNew) await checkAdvertised(p.steps);
      // The queue names set and the workflow index live in other slots: written before the script,
      // so queue.list and the sweeper know the queues before their first step is enqueued, and a
      // workflow is never left out of workflow.list (an id whose hash never came is dropped by it).
      await redisCall(redis, () => redis.sadd(keys.queueNames, ...new Set(p.steps.map(stepQueue))));
      // A new run is indexed at its own start, also where an ended run of the same id left its entry
      // (its hash expired, its id not pruned yet): the old score would sort it among old runs, and
      // let the prune take it as an id whose start never came.
      if (isNew) await redisCall(redis, () => redis.zadd(keys.workflowIds, Date.now(), workflowId));
      else await redisCall(redis, () => redis.zadd(keys.workflowIds, 'NX', Date.now(), workflowId));
      const reply = await scripts.workflowStart.run(
        redis,
        { workflow },
        { workflowId, queuesChannel: keys.channels.queues, workflowsChannel: keys.channels.workflows, retentionMs: limits.workflowRetentionMs },
        fields,
      );
      return rawOrNull(reply);
    },

    'workflow.get': async (p) => rawOrNull(await scripts.workflowGet.run(redis, one(p.workflowId), { summary: '0' })),

    'workflow.list': async (p) => {
      const count = p.count ?? DEFAULTS.workflowListCount;
      const summaries: string[] = [];
      // Ids whose workflow is gone (its retention ran out) are dropped from the index as they are
      // met and the next ones read instead, so the answer holds `count` workflows while there are.
      for (let from = 0; summaries.length < count; ) {
        const page = await redisCall(redis, () => redis.zrevrange(keys.workflowIds, from, from + count - summaries.length - 1, 'WITHSCORES'));
        if (page.length === 0) break;
        const ids = page.filter((_, i) => i % 2 === 0);
        const replies = await Promise.all(ids.map((id) => scripts.workflowGet.run(redis, one(id), { summary: '1' })));
        summaries.push(...replies.filter((reply): reply is string => typeof reply === 'string'));
        const gone = ids.filter((_, i) => typeof replies[i] !== 'string' && isPastStart(Number(page[2 * i + 1])));
        if (gone.length > 0) await redisCall(redis, () => redis.zrem(keys.workflowIds, ...gone));
        from += ids.length - gone.length;
      }
      return new RawJson(`[${summaries.join(',')}]`);
    },

    'workflow.cancel': change(scripts.workflowCancel),
    'workflow.pause': change(scripts.workflowPause),
    'workflow.resume': change(scripts.workflowResume),
    'workflow.retryStep': async (p) =>
      rawOrNull(await scripts.workflowRetryStep.run(redis, one(p.workflowId), { workflowId: p.workflowId, step: p.step })),
  };
}
