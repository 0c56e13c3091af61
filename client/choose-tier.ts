/**
 * Acting on feedback.recommend (docs/feedback.md): a recommendation is followed only when enough
 * samples back it, so a stage does not swing between tiers on a handful of scores.
 */
import { TIER_RULES, type Tier } from '../protocol/tier';
import type { TierRecommendation } from '../protocol/types';
import type { SwitchboardClient } from './client';

export interface TierChoice {
  /** The tier to run on: the recommended one if followed, else the current one. */
  tier: Tier;
  /** Whether the recommendation was followed (it moves and its confidence is above 0.7). */
  followed: boolean;
  /** Why this tier, in words: the daemon's reason, and why it was or was not acted on. */
  reason: string;
  recommendation: TierRecommendation;
}

export async function chooseTier(client: SwitchboardClient, stage: { workflow: string; stage: string; currentTier: Tier }): Promise<TierChoice> {
  const recommendation = await client.feedback.recommend(stage);
  const { recommendedTier, change, confidence } = recommendation;
  if (change === 'keep') return { tier: stage.currentTier, followed: false, reason: `keep ${stage.currentTier}: ${recommendation.reason}`, recommendation };
  if (confidence > TIER_RULES.actAboveConfidence) {
    return { tier: recommendedTier, followed: true, reason: `${change} to ${recommendedTier} (confidence ${confidence}): ${recommendation.reason}`, recommendation };
  }
  return {
    tier: stage.currentTier,
    followed: false,
    reason: `keep ${stage.currentTier}: ${change} to ${recommendedTier} recommended, but confidence ${confidence} is not above ${TIER_RULES.actAboveConfidence} (${recommendation.reason})`,
    recommendation,
  };
}
