/**
 * outcome.timeline: one script call copies every 10 s bucket of the window for each agent asked
 * for; here consecutive buckets are merged into steps (histograms included, for each step's p95).
 */
import { OUTCOME_BUCKET_SECONDS } from '../../protocol/outcome';
import type { OutcomeTimeline, OutcomeTimelineSeries } from '../../protocol/types';
import type { Deps } from '../domain/deps';
import { BUCKET_MS, BucketSums, COST_UNITS_PER_USD } from '../store/outcome-buckets';
import { scripts } from '../store/scripts';

export async function readTimeline({ redis, keys }: Deps, windowSeconds: number, stepSeconds: number, agentName?: string): Promise<OutcomeTimeline> {
  const perStep = stepSeconds / OUTCOME_BUCKET_SECONDS;
  const steps = Math.ceil(windowSeconds / stepSeconds);
  const buckets = steps * perStep;
  const [at, ...perAgent] = (await scripts.outcomeTimeline.runBuffer(
    redis,
    { agents: keys.outcomeAgents },
    { bucketPrefix: keys.outcomeBucketPrefix, buckets, agentName: agentName ?? '' },
  )) as [Buffer, ...[Buffer, (Buffer | null)[]][]];
  const agents = perAgent.map(([name, bucketList]): OutcomeTimelineSeries => {
    const series: OutcomeTimelineSeries = { agentName: String(name), count: [], errors: [], p95Ms: [], tokensUsed: [], costUsd: [] };
    for (let step = 0; step < steps; step++) {
      const sums = new BucketSums();
      for (const bucket of bucketList.slice(step * perStep, (step + 1) * perStep)) if (bucket) sums.merge(bucket, 1);
      series.count.push(sums.count);
      series.errors.push(sums.errors);
      series.p95Ms.push(sums.percentile(95));
      series.tokensUsed.push(sums.tokens);
      series.costUsd.push(sums.costUnits / COST_UNITS_PER_USD);
    }
    return series;
  });
  agents.sort((a, b) => (a.agentName < b.agentName ? -1 : a.agentName > b.agentName ? 1 : 0));
  const now = Number(String(at));
  const start = (Math.floor(now / BUCKET_MS) - buckets + 1) * BUCKET_MS;
  return { windowSeconds: steps * stepSeconds, stepSeconds, start, at: now, agents };
}
