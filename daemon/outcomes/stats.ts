/**
 * outcome.stats: one script call copies the window's buckets of every agent asked for (a fixed
 * number per agent, whatever the outcome rate); merging them — histograms included — happens here,
 * where adding up a few thousand integers costs microseconds instead of holding Redis.
 */
import { OUTCOME_BUCKET_SECONDS, OUTCOME_STATUSES } from '../../protocol/outcome';
import type { OutcomeAgentStats, OutcomeStats, OutcomeStatsResult, OutcomeStatus } from '../../protocol/types';
import type { Deps } from '../domain/deps';
import { BucketSums, COST_UNITS_PER_USD } from '../store/outcome-buckets';
import { scripts } from '../store/scripts';

const SUCCESS_SLOT = OUTCOME_STATUSES.indexOf('success');

export async function readStats({ redis, keys }: Deps, windowSeconds: number, agentName?: string): Promise<OutcomeStatsResult> {
  const buckets = Math.ceil(windowSeconds / OUTCOME_BUCKET_SECONDS);
  const reply = (await scripts.outcomeStats.runBuffer(
    redis,
    { agents: keys.outcomeAgents },
    { agentPrefix: keys.outcomeAgentPrefix, bucketPrefix: keys.outcomeBucketPrefix, buckets, agentName: agentName ?? '' },
  )) as (Buffer | null)[];
  const fleet = new BucketSums();
  const agents: OutcomeAgentStats[] = [];
  for (let i = 1; i < reply.length; i += 3 + buckets) {
    const sums = new BucketSums();
    for (let b = i + 3; b < i + 3 + buckets; b++) if (reply[b]) sums.merge(reply[b]!);
    fleet.add(sums);
    agents.push({ agentName: String(reply[i]), ...statsOf(sums), alerting: String(reply[i + 1]) === '1', lastAt: Number(String(reply[i + 2])) });
  }
  agents.sort((a, b) => (a.agentName < b.agentName ? -1 : a.agentName > b.agentName ? 1 : 0));
  return { windowSeconds: buckets * OUTCOME_BUCKET_SECONDS, at: Number(String(reply[0])), agents, fleet: statsOf(fleet) };
}

export function statsOf(sums: BucketSums): OutcomeStats {
  const { count } = sums;
  const rate = (n: number) => (count === 0 ? 0 : n / count);
  return {
    count,
    successRate: rate(sums.byStatus[SUCCESS_SLOT]!),
    errorRate: rate(sums.errors),
    p50Ms: sums.percentile(50),
    p95Ms: sums.percentile(95),
    p99Ms: sums.percentile(99),
    avgMs: count === 0 ? null : sums.durationUs / count / 1000,
    tokensUsed: sums.tokens,
    // Divided, not multiplied by 1e-9: the nearest float to the exact decimal sum.
    costUsd: sums.costUnits / COST_UNITS_PER_USD,
    byStatus: Object.fromEntries(OUTCOME_STATUSES.map((status, slot) => [status, sums.byStatus[slot]!])) as Record<OutcomeStatus, number>,
  };
}
