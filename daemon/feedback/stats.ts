/** From a stage's day buckets to a tier's stats, and the tier rules over them (docs/feedback.md). */
import { AVG_DECIMALS, TIER_RULES, TIERS, type Tier } from '../../protocol/tier';
import type { FeedbackStats, TierRecommendation } from '../../protocol/types';

export interface DayBucket {
  day: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** feedbackRead's reply: every tier's buckets within retention, by tier. */
export function parseBuckets(reply: unknown): Map<Tier, DayBucket[]> {
  const [, ...flat] = reply as [number, ...string[]];
  const byTier = new Map<Tier, DayBucket[]>(TIERS.map((tier) => [tier, []]));
  for (let i = 0; i < flat.length; i += 2) {
    const [tier, day] = flat[i]!.split(':') as [Tier, string];
    const [count, sum, min, max] = flat[i + 1]!.split(' ').map(Number) as [number, number, number, number];
    byTier.get(tier)?.push({ day: Number(day), count, sum, min, max });
  }
  return byTier;
}

const round = (n: number) => Number(n.toFixed(AVG_DECIMALS));

/**
 * The trend compares the newest day that has scores with the days before it (pooled): a stage
 * scored every day moves with its last day, one scored on a single day has no trend.
 */
export function statsOf(id: { workflow: string; stage: string; tier: Tier }, buckets: readonly DayBucket[]): FeedbackStats {
  const total = sumOf(buckets);
  if (total.count === 0) return { ...id, avg: null, min: null, max: null, count: 0, trend: 'stable', trendDelta: null };
  const newest = Math.max(...buckets.map((b) => b.day));
  const last = sumOf(buckets.filter((b) => b.day === newest));
  const before = sumOf(buckets.filter((b) => b.day !== newest));
  const trendDelta = before.count === 0 ? null : round(last.sum / last.count - before.sum / before.count);
  const trend = trendDelta === null || Math.abs(trendDelta) < TIER_RULES.stableTrendDelta ? 'stable' : trendDelta > 0 ? 'improving' : 'declining';
  return { ...id, avg: round(total.sum / total.count), min: total.min, max: total.max, count: total.count, trend, trendDelta };
}

function sumOf(buckets: readonly DayBucket[]): { count: number; sum: number; min: number; max: number } {
  return buckets.reduce(
    (acc, b) => ({ count: acc.count + b.count, sum: acc.sum + b.sum, min: Math.min(acc.min, b.min), max: Math.max(acc.max, b.max) }),
    { count: 0, sum: 0, min: Infinity, max: -Infinity },
  );
}

const confidenceOf = (count: number) => Math.min(1, count / TIER_RULES.fullConfidenceSamples);

/** SPEC's rules: upgrade below 0.7; downgrade above 0.9 when the tier below averages above 0.85; else keep. */
export function recommend(current: FeedbackStats, lower: FeedbackStats | undefined): TierRecommendation {
  const tier = current.tier;
  const index = TIERS.indexOf(tier);
  const keep = (reason: string, confidence: number): TierRecommendation => ({ recommendedTier: tier, change: 'keep', reason, confidence, current });
  if (current.avg === null) return keep(`no feedback for ${tier} in the last 7 days`, 0);
  const avg = current.avg;
  const confidence = confidenceOf(current.count);
  if (avg < TIER_RULES.upgradeBelow) {
    const higher = TIERS[index + 1];
    if (higher === undefined) return keep(`avg ${avg} is below ${TIER_RULES.upgradeBelow}, but ${tier} is the highest tier`, confidence);
    return { recommendedTier: higher, change: 'upgrade', reason: `avg ${avg} over ${current.count} samples is below ${TIER_RULES.upgradeBelow}`, confidence, current };
  }
  if (avg > TIER_RULES.downgradeAbove) {
    if (lower === undefined) return keep(`avg ${avg} is above ${TIER_RULES.downgradeAbove}, but ${tier} is the lowest tier`, confidence);
    if (lower.avg === null) return keep(`avg ${avg} is above ${TIER_RULES.downgradeAbove}, but ${lower.tier} has no feedback to compare`, confidence);
    if (lower.avg <= TIER_RULES.lowerTierAbove) {
      return keep(`avg ${avg} is above ${TIER_RULES.downgradeAbove}, but ${lower.tier} averages ${lower.avg}, not above ${TIER_RULES.lowerTierAbove}`, confidence);
    }
    return {
      recommendedTier: lower.tier,
      change: 'downgrade',
      reason: `avg ${avg} is above ${TIER_RULES.downgradeAbove} and ${lower.tier} averages ${lower.avg}, above ${TIER_RULES.lowerTierAbove}`,
      // Both tiers' samples back a downgrade: the thinner one bounds it.
      confidence: confidenceOf(Math.min(current.count, lower.count)),
      current,
    };
  }
  return keep(`avg ${avg} is within ${TIER_RULES.upgradeBelow}..${TIER_RULES.downgradeAbove}`, confidence);
}
