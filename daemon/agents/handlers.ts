/** agent.* — registration, heartbeats, stop, listing and stale detection. */
import { DEFAULTS } from '../../protocol/limits';
import { RETENTION, type Deps } from '../domain/deps';
import type { Handlers } from '../domain/context';
import { RawJson, rawOrNull } from '../store/raw-json';
import { answerListing, toScriptPage } from '../store/pages';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';
import { TickBatch } from '../store/tick-batch';

type AgentHandlers = Pick<Handlers, 'agent.start' | 'agent.beat' | 'agent.stop' | 'agent.get' | 'agent.list' | 'agent.stale'>;

const OPEN_BRACKET = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE_BRACKET = Buffer.from(']');

/** Beats per script call at most. */
const BEATS_PER_BATCH = 128;

export function agentHandlers({ redis, keys, limits }: Deps): AgentHandlers {
  const beats = new TickBatch<(string | number)[]>(
    (items) =>
      scripts.agentBeats.run(
        redis,
        keys.agentIndexes,
        { agentPrefix: keys.agentPrefix, channel: keys.channels.agents },
        items.flat(),
      ),
    BEATS_PER_BATCH,
  );
  const indexes = (agentId: string) => ({ agent: keys.agent(agentId), ...keys.agentIndexes });
  // Beats wait for the end of the turn; any other agent call sends them first, so that Redis runs
  // a connection's calls in the order they came (a beat then a stop: the beat counts).
  const afterBeats =
    <A extends unknown[], R>(handler: (...args: A) => R) =>
    (...args: A): R => {
      beats.flush();
      return handler(...args);
    };
  return {
    'agent.start': afterBeats(async (p, ctx) =>
      rawOrNull(
        await scripts.agentStart.run(redis, indexes(p.agentId), {
          agentId: p.agentId,
          ttlSeconds: p.ttlSeconds ?? DEFAULTS.agentTtlSeconds,
          metadata: ctx.json.metadata ?? '{}',
          channel: keys.channels.agents,
        }),
      ),
    ),

    'agent.beat': async (p, ctx) => {
      const taskAction = p.currentTask === undefined ? 'keep' : p.currentTask === null ? 'clear' : 'set';
      return rawOrNull(
        await beats.add([
          p.agentId,
          p.status ?? 'running',
          p.progress === undefined ? '' : String(p.progress),
          taskAction,
          p.currentTask ?? '',
          ctx.json.metadata ?? '',
        ]),
      );
    },

    'agent.stop': afterBeats(async (p) =>
      rawOrNull(
        await scripts.agentStop.run(redis, indexes(p.agentId), {
          agentId: p.agentId,
          finalStatus: p.finalStatus,
          retentionMs: RETENTION.endedAgentMs,
          channel: keys.channels.agents,
        }),
      ),
    ),

    'agent.get': afterBeats(async (p) => rawOrNull(await scripts.agentGet.run(redis, { agent: keys.agent(p.agentId) }, {}))),

    // One HVALS is a consistent snapshot; Redis writes the array itself (a Lua loop over 10 000
    // values cost five times as much) and the stored JSON is joined here as bytes, never parsed
    // or turned into 10 000 JS strings.
    'agent.list': afterBeats(async () => {
      const values = await redisCall(redis, () => redis.hvalsBuffer(keys.agentIndexes.listed));
      return new RawJson(Buffer.concat([OPEN_BRACKET, ...values.flatMap((v, i) => (i === 0 ? [v] : [COMMA, v])), CLOSE_BRACKET]));
    }),

    'agent.stale': afterBeats((p) =>
      answerListing(
        p,
        async (cursor, limit) =>
          toScriptPage(
            await scripts.agentsStale.run(
              redis,
              { beats: keys.agentIndexes.beats, listed: keys.agentIndexes.listed },
              { thresholdMs: Math.round(p.thresholdSeconds * 1000), cursor, limit },
            ),
          ),
        limits.maxReplyBytes,
      ),
    ),
  };
}
