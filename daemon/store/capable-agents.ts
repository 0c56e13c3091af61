/**
 * Which live agents advertise a capability (metadata.capabilities), read from the agents' keys.
 * Here rather than in a domain folder because three domains ask: routing ranks them, workflows
 * refuse a step no live agent could run, and queues let only them receive from a capability queue.
 */
import type Redis from 'ioredis';
import { DEFAULTS } from '../../protocol/limits';
import type { Keys } from './keys';
import { redisCall } from './redis';

interface Capability {
  name: string;
  version: string;
}

export interface CapableAgent {
  agentId: string;
  /** Its last beat (epoch ms, the beats index's score). */
  lastBeat: number;
  /** The version of the capability it advertises. */
  version: string;
  ttlMs: number;
}

function capabilitiesOf(metadata: string | null | undefined): Capability[] {
  if (!metadata) return [];
  try {
    const caps = (JSON.parse(metadata) as { capabilities?: unknown }).capabilities;
    return Array.isArray(caps) ? caps.filter((c): c is Capability => typeof c?.name === 'string' && typeof c?.version === 'string') : [];
  } catch {
    return [];
  }
}

/** The advertised capability matching `name` (and exactly `version` when given) in an agent's hash fields, when it is alive. */
function matching(metadata: string | null | undefined, alive: string | null | undefined, name: string, version?: string): Capability | undefined {
  if (alive !== '1') return undefined;
  return capabilitiesOf(metadata).find((c) => c.name === name && (version === undefined || c.version === version));
}

/** The live agents (in the beats index, alive in their hash) advertising `name`, with exactly `version` when given. */
export async function liveAgentsWith(redis: Redis, keys: Keys, name: string, version?: string): Promise<CapableAgent[]> {
  const beats = await redisCall(redis, () => redis.zrange(keys.agentIndexes.beats, 0, -1, 'WITHSCORES'));
  const live: { agentId: string; lastBeat: number }[] = [];
  for (let i = 0; i < beats.length; i += 2) live.push({ agentId: beats[i]!, lastBeat: Number(beats[i + 1]) });
  const found = await Promise.all(
    live.map(async (agent) => {
      const [metadata, ttlSeconds, alive] = await redisCall(redis, () => redis.hmget(keys.agent(agent.agentId), 'metadata', 'ttlSeconds', 'alive'));
      const cap = matching(metadata, alive, name, version);
      return cap ? { ...agent, version: cap.version, ttlMs: Number(ttlSeconds ?? DEFAULTS.agentTtlSeconds) * 1000 } : null;
    }),
  );
  return found.filter((agent) => agent !== null);
}

/** Whether `agentId` is alive and advertises `name` (exactly `version` when given). */
export async function advertises(redis: Redis, keys: Keys, agentId: string, name: string, version?: string): Promise<boolean> {
  const [metadata, alive] = await redisCall(redis, () => redis.hmget(keys.agent(agentId), 'metadata', 'alive'));
  return matching(metadata, alive, name, version) !== undefined;
}
