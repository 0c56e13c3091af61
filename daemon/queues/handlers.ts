/** queue.* — reliable work queues: priorities, delays, visibility timeouts with fenced receipts, retries, dead letters. */
import { randomUUID } from 'node:crypto';
import { capabilityOfQueue, capabilityText } from '../../protocol/capability';
import { ErrorCode, RpcError } from '../../protocol/errors';
import { DEFAULTS, MAX_DELAY_MS } from '../../protocol/limits';
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { SWEEP_BATCH } from '../domain/module';
import type { PushTarget } from '../hub/hub';
import { waitUntil, type Waiters } from '../hub/waiters';
import type { Job } from '../../protocol/types';
import { advertises } from '../store/capable-agents';
import { RawJson, rawOrNull } from '../store/raw-json';
import { scripts } from '../store/scripts';
import { KeyedTickBatch } from '../store/tick-batch';
import type { DueRegistry } from '../store/due-registry';

type QueueHandlers = Pick<
  Handlers,
  | 'queue.enqueue'
  | 'queue.receive'
  | 'queue.extend'
  | 'queue.ack'
  | 'queue.nack'
  | 'queue.release'
  | 'queue.stats'
  | 'queue.list'
  | 'queue.dead'
  | 'queue.replay'
  | 'queue.purge'
  | 'queue.configure'
>;

/** Enqueues or acks of one queue per script call at most. */
const PER_BATCH = 128;
/** Completed jobs a queue keeps (for queue.ack retries and the Queues view); older ones are deleted. */
export const COMPLETED_KEPT = 1000;

/** `snapshotRead`: a queue.list answer was read by this connection (the sampled counts are pushed to it in full next). */
export function queueHandlers(deps: Deps, waiters: Waiters, registry: DueRegistry, snapshotRead: (target: PushTarget | undefined) => void): QueueHandlers {
  const { redis, keys, limits } = deps;
  const channel = keys.channels.queues;
  const keysOf = (queue: string) => keys.queue(queue);

  const enqueues = new KeyedTickBatch<(string | number)[]>(
    (queue, items) =>
      scripts.queueEnqueue.run(
        redis,
        keysOf(queue),
        { jobPrefix: keysOf(queue).jobPrefix, queue, defaultMaxLength: limits.maxQueueLength, channel },
        items.flat(),
      ),
    PER_BATCH,
  );
  const acks = new KeyedTickBatch<string[]>(
    (queue, items) => scripts.queueAck.run(redis, keysOf(queue), { jobPrefix: keysOf(queue).jobPrefix, kept: COMPLETED_KEPT }, items.flat()),
    PER_BATCH,
  );
  // Enqueues and acks wait for the end of the turn; any other call on that queue sends them first,
  // so that Redis runs a connection's calls in the order they came (enqueue then receive: received).
  const inOrder = (queue: string) => {
    enqueues.flush(queue);
    acks.flush(queue);
    return keysOf(queue);
  };

  /** One delivery attempt: the jobs' JSON array and how long until something falls due there (ms, or undefined). */
  const receiveOnce = async (p: { queue: string; consumer: string; visibilityMs?: number; count?: number }) => {
    const queueKeys = inOrder(p.queue);
    const [json, nextDue, now] = (await scripts.queueReceive.run(redis, queueKeys, {
      jobPrefix: queueKeys.jobPrefix,
      queue: p.queue,
      consumer: p.consumer,
      visibilityMs: p.visibilityMs ?? DEFAULTS.queueVisibilityMs,
      count: p.count ?? 1,
      channel,
    })) as [string, string, string];
    const due = Number(nextDue);
    if (due > 0) registry.dueAt(p.queue, due);
    return { json, dueInMs: due > 0 ? due - Number(now) : undefined };
  };

  const release = async (queue: string, jobId: string, receipt: string) => {
    const queueKeys = inOrder(queue);
    return rawOrNull(await scripts.queueRelease.run(redis, queueKeys, { jobPrefix: queueKeys.jobPrefix, queue, jobId, receipt, channel }));
  };
  const releaseAll = (queue: string, jobsJson: string) =>
    Promise.all((JSON.parse(jobsJson) as Job[]).map((job) => release(queue, job.jobId, job.receipt!)));

  /**
   * A capability queue (a workflow step naming a capability) is received from only by a live agent
   * advertising it, under its agent id: so the step's recorded agent is one that can run it.
   */
  const checkCapable = async (queue: string, consumer: string) => {
    const capability = capabilityOfQueue(queue)!;
    if (await advertises(redis, keys, consumer, capability.name, capability.version)) return;
    throw new RpcError(
      ErrorCode.InvalidParams,
      `invalid params: "${queue}" is a capability queue; its consumer must be the id of a live agent advertising ${capabilityText(capability)}, and "${consumer}" is not`,
      { field: 'consumer', rule: 'advertisesCapability' },
    );
  };

  return {
    'queue.enqueue': async (p, ctx) => {
      registry.known(p.queue);
      const reply = await enqueues.add(p.queue, [
        p.jobId ?? randomUUID(),
        ctx.json.payload ?? 'null',
        p.priority ?? 'normal',
        p.delayMs ?? 0,
        p.maxAttempts ?? DEFAULTS.queueMaxAttempts,
        p.backoff?.type ?? '',
        p.backoff?.delayMs ?? 0,
      ]);
      if (p.delayMs) registry.dueAt(p.queue, Date.now() + p.delayMs);
      return rawOrNull(reply);
    },

    'queue.receive': async (p, ctx) => {
      // not awaited for a plain queue: its receive keeps its place among the connection's calls
      if (capabilityOfQueue(p.queue) !== null) await checkCapable(p.queue, p.consumer);
      let dueInMs: number | undefined;
      let found = await waitUntil(
        waiters,
        p.queue,
        p.waitMs ?? 0,
        ctx.waitingCalls,
        async () => {
          const attempt = await receiveOnce(p);
          dueInMs = attempt.dueInMs;
          return attempt.json === '[]' ? undefined : attempt.json;
        },
        // a delayed job or a lapsed delivery falling due is published by no one: look again then
        () => dueInMs,
      );
      // The caller left while its jobs were taken: hand them back now rather than after their visibility.
      if (found !== undefined && ctx.waitingCalls.ended) {
        await releaseAll(p.queue, found);
        found = undefined;
      }
      if (p.count !== undefined) return new RawJson(found ?? '[]');
      return new RawJson(found === undefined ? 'null' : found.slice(1, -1));
    },

    'queue.extend': async (p) => {
      const queueKeys = inOrder(p.queue);
      const reply = await scripts.queueExtend.run(redis, queueKeys, {
        jobPrefix: queueKeys.jobPrefix,
        jobId: p.jobId,
        receipt: p.receipt,
        visibilityMs: p.visibilityMs,
      });
      return rawOrNull(reply);
    },

    'queue.ack': async (p, ctx) => rawOrNull(await acks.add(p.queue, [p.jobId, p.receipt, ctx.json.result ?? ''])),

    'queue.nack': async (p) => {
      const queueKeys = inOrder(p.queue);
      const reply = rawOrNull(
        await scripts.queueNack.run(redis, queueKeys, {
          jobPrefix: queueKeys.jobPrefix,
          queue: p.queue,
          jobId: p.jobId,
          receipt: p.receipt,
          error: p.error ?? '',
          retry: p.retry === false ? '0' : '1',
          jitter: Math.random(),
          channel,
          maxDelayMs: MAX_DELAY_MS,
        }),
      );
      registry.dueSoon(p.queue);
      return reply;
    },

    'queue.release': (p) => release(p.queue, p.jobId, p.receipt),

    'queue.stats': async (p) => {
      const queueKeys = inOrder(p.queue);
      return rawOrNull(await scripts.queueStats.run(redis, queueKeys, { jobPrefix: queueKeys.jobPrefix, defaultMaxLength: limits.maxQueueLength }));
    },

    'queue.list': async (_p, ctx) => {
      for (const queue of await registry.names()) inOrder(queue);
      const summaries = await queueSummaries(deps, registry);
      snapshotRead(ctx.target);
      return new RawJson(`[${summaries.map((summary) => summary.json).join(',')}]`);
    },

    'queue.dead': async (p) => {
      const queueKeys = inOrder(p.queue);
      return rawOrNull(await scripts.queueDead.run(redis, queueKeys, { jobPrefix: queueKeys.jobPrefix, count: p.count ?? DEFAULTS.queueDeadCount }));
    },

    'queue.replay': async (p) => {
      const queueKeys = inOrder(p.queue);
      return rawOrNull(await scripts.queueReplay.run(redis, queueKeys, { jobPrefix: queueKeys.jobPrefix, queue: p.queue, jobId: p.jobId, channel }));
    },

    'queue.purge': async (p) => {
      const queueKeys = inOrder(p.queue);
      let removed = 0;
      for (;;) {
        const n = Number(
          await scripts.queuePurge.run(redis, queueKeys, {
            jobPrefix: queueKeys.jobPrefix,
            queue: p.queue,
            state: p.state,
            batch: SWEEP_BATCH,
            removedBefore: removed,
            channel,
          }),
        );
        removed += n;
        if (n < SWEEP_BATCH) return { removed };
      }
    },

    'queue.configure': async (p) => {
      registry.known(p.queue);
      const queueKeys = inOrder(p.queue);
      return rawOrNull(await scripts.queueConfigure.run(redis, queueKeys, { jobPrefix: queueKeys.jobPrefix, maxLength: p.maxLength }));
    },
  };
}

/** Every queue's QueueSummary JSON, by name. */
export async function queueSummaries({ redis, keys, limits }: Deps, registry: DueRegistry): Promise<{ queue: string; json: string }[]> {
  const names = (await registry.names()).sort();
  const stats = await Promise.all(
    names.map((queue) => scripts.queueStats.run(redis, keys.queue(queue), { jobPrefix: keys.queue(queue).jobPrefix, defaultMaxLength: limits.maxQueueLength })),
  );
  return names.map((queue, i) => ({ queue, json: `{"queue":${JSON.stringify(queue)},${(stats[i] as string).slice(1)}` }));
}
