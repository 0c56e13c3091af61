/** agent.* — registration, heartbeats, stop, listing and stale detection. */
import { DEFAULTS } from '../../protocol/limits';
import { RETENTION, type Deps } from '../domain/deps';
import type { Handlers } from '../domain/context';
import { RawJson, rawOrNull } from '../store/raw-json';
import { answerListing, toScriptPage } from '../store/pages';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';

type AgentHandlers = Pick<Handlers, 'agent.start' | 'agent.beat' | 'agent.stop' | 'agent.get' | 'agent.list' | 'agent.stale'>;

const OPEN_BRACKET = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE_BRACKET = Buffer.from(']');

export function agentHandlers({ redis, keys, limits }: Deps): AgentHandlers {
  const indexes = (agentId: string) => ({
    agent: keys.agent(agentId),
    expiry: keys.agentsExpiry,
    beats: keys.agentsBeats,
    ended: keys.agentsEnded,
    listed: keys.agentsListed,
  });
  return {
    'agent.start': async (p, ctx) =>
      rawOrNull(
        await scripts.agentStart.run(redis, indexes(p.agentId), {
          agentId: p.agentId,
          ttlSeconds: p.ttlSeconds ?? DEFAULTS.agentTtlSeconds,
          metadata: ctx.json.metadata ?? '{}',
          channel: keys.channels.agents,
        }),
      ),

    'agent.beat': async (p, ctx) => {
      const taskAction = p.currentTask === undefined ? 'keep' : p.currentTask === null ? 'clear' : 'set';
      return rawOrNull(
        await scripts.agentBeat.run(redis, indexes(p.agentId), {
          agentId: p.agentId,
          status: p.status ?? 'running',
          progress: p.progress === undefined ? '' : String(p.progress),
          taskAction,
          task: p.currentTask ?? '',
          metadata: ctx.json.metadata ?? '',
          channel: keys.channels.agents,
        }),
      );
    },

    'agent.stop': async (p) =>
      rawOrNull(
        await scripts.agentStop.run(redis, indexes(p.agentId), {
          agentId: p.agentId,
          finalStatus: p.finalStatus,
          retentionMs: RETENTION.endedAgentMs,
          channel: keys.channels.agents,
        }),
      ),

    'agent.get': async (p) => rawOrNull(await scripts.agentGet.run(redis, { agent: keys.agent(p.agentId) }, {})),

    // One HVALS is a consistent snapshot; Redis writes the array itself (a Lua loop over 10 000
    // values cost five times as much) and the stored JSON is joined here as bytes, never parsed
    // or turned into 10 000 JS strings.
    'agent.list': async () => {
      const values = await redisCall(redis, () => redis.hvalsBuffer(keys.agentsListed));
      return new RawJson(Buffer.concat([OPEN_BRACKET, ...values.flatMap((v, i) => (i === 0 ? [v] : [COMMA, v])), CLOSE_BRACKET]));
    },

    'agent.stale': (p) =>
      answerListing(
        p,
        async (cursor, limit) =>
          toScriptPage(
            await scripts.agentsStale.run(
              redis,
              { beats: keys.agentsBeats, listed: keys.agentsListed },
              { thresholdMs: Math.round(p.thresholdSeconds * 1000), cursor, limit },
            ),
          ),
        limits.maxReplyBytes,
      ),
  };
}
