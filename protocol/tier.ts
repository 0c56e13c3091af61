/** Feedback (SPEC §4 "Feedback"): model tiers, the retention of quality scores and the rules that move a stage between tiers. */

/** Model tiers, cheapest first: an upgrade is one step right, a downgrade one step left. */
export const TIERS = ['cheap', 'capable', 'premium'] as const;
export type Tier = (typeof TIERS)[number];

/** Quality scores count this many days: today (by the Redis clock, UTC) and the six before. */
export const FEEDBACK_RETENTION_DAYS = 7;
export const DAY_MS = 24 * 60 * 60 * 1000;

export const TIER_RULES = {
  /** A tier whose average is below this is upgraded. */
  upgradeBelow: 0.7,
  /** A tier whose average is above this may be downgraded… */
  downgradeAbove: 0.9,
  /** …if the tier below it averages above this. */
  lowerTierAbove: 0.85,
  /** Confidence reaches 1 at this many samples (count / this). */
  fullConfidenceSamples: 20,
  /** The SDK's chooseTier follows a recommendation only above this confidence. */
  actAboveConfidence: 0.7,
  /** A trend whose last-day average moved less than this from the days before is stable. */
  stableTrendDelta: 0.05,
} as const;

/** Averages are rounded to this many decimals, so that float sums land on the thresholds they meet. */
export const AVG_DECIMALS = 9;
