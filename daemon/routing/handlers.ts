/**
 * dispatch.route — ranks the live agents advertising a capability. Reads only Redis keys (through
 * store/ and keys.ts), never another domain folder: the beats index and agent hashes (agents), the
 * inboxes (signals), the outcome stats snapshot (outcomes' script, merged with store's BucketSums)
 * and the open-breaker index (safety). A read, not a state change: no script of its own.
 */
import { DEFAULTS } from '../../protocol/limits';
import { OUTCOME_STATUSES, OUTCOME_WINDOW_SECONDS, OUTCOME_BUCKET_SECONDS } from '../../protocol/outcome';
import type { RouteCandidate } from '../../protocol/types';
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { liveAgentsWith } from '../store/capable-agents';
import { BucketSums } from '../store/outcome-buckets';
import { redisCall } from '../store/redis';
import { scripts } from '../store/scripts';

type RoutingHandlers = Pick<Handlers, 'dispatch.route'>;

const SUCCESS_SLOT = OUTCOME_STATUSES.indexOf('success');
/** A beat older than this share of the agent's ttl is stale (degraded). */
const STALE_TTL_SHARE = 0.5;
/** The success component of an agent without outcomes in the window. */
const NO_OUTCOMES_SUCCESS = 0.5;

const round = (n: number) => Math.round(n * 1000) / 1000;

export function routingHandlers({ redis, keys }: Deps): RoutingHandlers {
  return {
    'dispatch.route': async (p) => {
      const given = p.weights ?? {};
      const raw = {
        queueDepth: given.queueDepth ?? DEFAULTS.routeWeights.queueDepth,
        heartbeat: given.heartbeat ?? DEFAULTS.routeWeights.heartbeat,
        successRate: given.successRate ?? DEFAULTS.routeWeights.successRate,
      };
      const total = raw.queueDepth + raw.heartbeat + raw.successRate;
      const weights = total === 0 ? DEFAULTS.routeWeights : { queueDepth: raw.queueDepth / total, heartbeat: raw.heartbeat / total, successRate: raw.successRate / total };

      const [[seconds, micros], candidates] = await Promise.all([
        redisCall(redis, () => redis.time()),
        liveAgentsWith(redis, keys, p.capability, p.version),
      ]);
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      if (candidates.length === 0) return [];

      const buckets = Math.ceil(OUTCOME_WINDOW_SECONDS / OUTCOME_BUCKET_SECONDS);
      const [, ...perAgent] = (await scripts.outcomeStats.runBuffer(
        redis,
        { agents: keys.outcomeAgents },
        { agentPrefix: keys.outcomeAgentPrefix, windowPrefix: keys.outcomeWindowPrefix, bucketPrefix: keys.outcomeBucketPrefix, buckets, agentName: '' },
      )) as [Buffer, ...[Buffer, Buffer, Buffer, (Buffer | null)[], (Buffer | null)[]][]];
      const outcomes = new Map<string, { count: number; successRate: number; alerting: boolean }>();
      for (const [name, alert, , plus, minus] of perAgent) {
        const sums = new BucketSums();
        for (const bucket of plus) if (bucket) sums.merge(bucket, 1);
        for (const bucket of minus) if (bucket) sums.merge(bucket, -1);
        outcomes.set(String(name), { count: sums.count, successRate: sums.count === 0 ? 0 : sums.byStatus[SUCCESS_SLOT]! / sums.count, alerting: String(alert) === '1' });
      }

      const scored = await Promise.all(
        candidates.map(async (agent): Promise<RouteCandidate> => {
          const [pendingSignals, breakerOpenUntil] = await Promise.all([
            redisCall(redis, () => redis.zcard(keys.inbox(agent.agentId))),
            redisCall(redis, () => redis.zscore(keys.breakersOpen, `agent:${agent.agentId}`)),
          ]);
          const beatAgeMs = Math.max(0, now - agent.lastBeat);
          const stats = outcomes.get(agent.agentId);
          const components = {
            queueDepth: 1 / (1 + pendingSignals),
            heartbeat: Math.max(0, 1 - beatAgeMs / agent.ttlMs),
            successRate: stats && stats.count > 0 ? stats.successRate : NO_OUTCOMES_SUCCESS,
          };
          const degradedReasons: string[] = [];
          if (beatAgeMs > agent.ttlMs * STALE_TTL_SHARE) degradedReasons.push('stale heartbeat');
          if (stats?.alerting) degradedReasons.push('failure-rate alert');
          if (breakerOpenUntil !== null && Number(breakerOpenUntil) > now) degradedReasons.push('open breaker');
          const score = weights.queueDepth * components.queueDepth + weights.heartbeat * components.heartbeat + weights.successRate * components.successRate;
          const pct = (n: number) => `${Math.round(n * 100)} %`;
          const explanation =
            `queue depth ${pendingSignals} pending signal(s) → ${round(components.queueDepth)} × ${pct(weights.queueDepth)}; ` +
            `heartbeat ${beatAgeMs} ms old of ${agent.ttlMs} ms ttl → ${round(components.heartbeat)} × ${pct(weights.heartbeat)}; ` +
            `success rate ${stats && stats.count > 0 ? `${round(stats.successRate)} over ${stats.count} outcome(s)` : 'no outcomes (neutral 0.5)'} → ${round(components.successRate)} × ${pct(weights.successRate)}` +
            (degradedReasons.length > 0 ? `; degraded: ${degradedReasons.join(', ')}` : '');
          return {
            rank: 0,
            agentId: agent.agentId,
            version: agent.version,
            score: round(score),
            components: { queueDepth: round(components.queueDepth), heartbeat: round(components.heartbeat), successRate: round(components.successRate) },
            pendingSignals,
            beatAgeMs,
            outcomeCount: stats?.count ?? 0,
            degraded: degradedReasons.length > 0,
            degradedReasons,
            explanation,
          };
        }),
      );
      const ranked = scored
        .filter((c) => !(p.excludeDegraded && c.degraded))
        .sort((a, b) => b.score - a.score || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
      ranked.forEach((c, i) => (c.rank = i + 1));
      return ranked;
    },
  };
}
