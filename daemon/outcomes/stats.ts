/**
 * outcome.stats: one script call copies, per agent asked for, its running window (for the default
 * window) or its buckets in the window — a bounded number of fixed-layout strings, whatever the
 * outcome rate; merging them, histograms included, happens here, not in Redis.
 */
import { OUTCOME_BUCKET_SECONDS, OUTCOME_STATUSES } from '../../protocol/outcome';
import type { OutcomeAgentStats, OutcomeStats, OutcomeStatsResult, OutcomeStatus } from '../../protocol/types';
import type { Deps } from '../domain/deps';
import { BucketSums, COST_UNITS_PER_USD } from '../store/outcome-buckets';
import { scripts } from '../store/scripts';

const SUCCESS_SLOT = OUTCOME_STATUSES.indexOf('success');

export async function readStats({ redis, keys }: Deps, windowSeconds: number, agentName?: string): Promise<OutcomeStatsResult> {
  const buckets = Math.ceil(windowSeconds / OUTCOME_BUCKET_SECONDS);
  const [at, ...perAgent] = (await scripts.outcomeStats.runBuffer(
    redis,
    { agents: keys.outcomeAgents },
    { agentPrefix: keys.outcomeAgentPrefix, windowPrefix: keys.outcomeWindowPrefix, bucketPrefix: keys.outcomeBucketPrefix, buckets, agentName: agentName ?? '' },
  )) as [Buffer, ...[Buffer, Buffer, Buffer, (Buffer | null)[], (Buffer | null)[]][]];
  const fleet = new BucketSums();
  const sums = new BucketSums();
  const agents = perAgent.map(([name, alert, lastAt, plus, minus]): OutcomeAgentStats => {
    sums.reset();
    for (const bucket of plus) if (bucket) sums.merge(bucket, 1);
    for (const bucket of minus) if (bucket) sums.merge(bucket, -1);
    fleet.add(sums);
    return { agentName: String(name), ...statsOf(sums), alerting: String(alert) === '1', lastAt: Number(String(lastAt)) };
  });
  agents.sort((a, b) => (a.agentName < b.agentName ? -1 : a.agentName > b.agentName ? 1 : 0));
  return { windowSeconds: buckets * OUTCOME_BUCKET_SECONDS, at: Number(String(at)), agents, fleet: statsOf(fleet) };
}

export function statsOf(sums: BucketSums): OutcomeStats {
  const { count } = sums;
  const rate = (n: number) => (count === 0 ? 0 : n / count);
  const [p50Ms = null, p95Ms = null, p99Ms = null] = sums.percentiles([50, 95, 99]);
  return {
    count,
    successRate: rate(sums.byStatus[SUCCESS_SLOT]!),
    errorRate: rate(sums.errors),
    p50Ms,
    p95Ms,
    p99Ms,
    avgMs: count === 0 ? null : sums.durationUs / count / 1000,
    tokensUsed: sums.tokens,
    // Divided, not multiplied by 1e-9: the nearest float to the exact decimal sum.
    costUsd: sums.costUnits / COST_UNITS_PER_USD,
    byStatus: Object.fromEntries(OUTCOME_STATUSES.map((status, slot) => [status, sums.byStatus[slot]!])) as Record<OutcomeStatus, number>,
  };
}
