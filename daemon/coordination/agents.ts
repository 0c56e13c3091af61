/** agent.* — registration, heartbeats, stop, listing and stale detection. */
import { DEFAULTS } from '../../protocol/limits';
import { RETENTION, type Deps } from '../deps';
import type { Handlers } from '../server/context';
import { RawJson, rawOrNull } from '../server/raw-json';
import { answerListing, toScriptPage } from '../store/pages';
import { redisCall, runScript } from '../store/redis';

type AgentHandlers = Pick<Handlers, 'agent.start' | 'agent.beat' | 'agent.stop' | 'agent.get' | 'agent.list' | 'agent.stale'>;

const OPEN_BRACKET = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE_BRACKET = Buffer.from(']');

export function agentHandlers({ redis, keys, limits }: Deps): AgentHandlers {
  const indexes = (agentId: string) => [keys.agent(agentId), keys.agentsExpiry, keys.agentsBeats, keys.agentsEnded, keys.agentsListed];
  return {
    'agent.start': async (p, ctx) =>
      rawOrNull(
        await runScript(redis, 'agentStart', indexes(p.agentId), [
          p.agentId,
          p.ttlSeconds ?? DEFAULTS.agentTtlSeconds,
          ctx.json.metadata ?? '{}',
          keys.channels.agents,
        ]),
      ),

    'agent.beat': async (p, ctx) => {
      const task = p.currentTask === undefined ? ['keep', ''] : p.currentTask === null ? ['clear', ''] : ['set', p.currentTask];
      return rawOrNull(
        await runScript(redis, 'agentBeat', indexes(p.agentId), [
          p.agentId,
          p.status ?? 'running',
          p.progress === undefined ? '' : String(p.progress),
          ...task,
          ctx.json.metadata ?? '',
          keys.channels.agents,
        ]),
      );
    },

    'agent.stop': async (p) =>
      rawOrNull(
        await runScript(redis, 'agentStop', indexes(p.agentId), [p.agentId, p.finalStatus, RETENTION.endedAgentMs, keys.channels.agents]),
      ),

    'agent.get': async (p) => rawOrNull(await runScript(redis, 'agentGet', [keys.agent(p.agentId)], [])),

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
            await runScript(redis, 'agentsStale', [keys.agentsBeats, keys.agentsListed], [Math.round(p.thresholdSeconds * 1000), cursor, limit]),
          ),
        limits.maxReplyBytes,
      ),
  };
}
