/** feedback.* — quality scores per workflow stage and model tier, 7 days of day buckets, and the tier they point to. */
import type { ParamsOf } from '../../protocol/methods';
import { DAY_MS, FEEDBACK_RETENTION_DAYS, TIERS } from '../../protocol/tier';
import type { Handlers } from '../domain/context';
import type { Deps } from '../domain/deps';
import { scripts } from '../store/scripts';
import { parseBuckets, recommend, statsOf } from './stats';

type FeedbackHandlers = Pick<Handlers, 'feedback.record' | 'feedback.stats' | 'feedback.recommend'>;

export function feedbackHandlers({ redis, keys }: Deps): FeedbackHandlers {
  const read = async (p: { workflow: string; stage: string }) =>
    parseBuckets(
      await scripts.feedbackRead.run(redis, { stage: keys.feedbackStage(p.workflow, p.stage) }, { retentionDays: FEEDBACK_RETENTION_DAYS, dayMs: DAY_MS }),
    );

  return {
    'feedback.record': async (p: ParamsOf<'feedback.record'>) => {
      const recordedAt = Number(
        await scripts.feedbackRecord.run(
          redis,
          { stage: keys.feedbackStage(p.workflow, p.stage) },
          { tier: p.tier, quality: p.quality, retentionDays: FEEDBACK_RETENTION_DAYS, dayMs: DAY_MS },
        ),
      );
      return { workflow: p.workflow, stage: p.stage, tier: p.tier, quality: p.quality, recordedAt, ...(p.metadata === undefined ? {} : { metadata: p.metadata }) };
    },

    'feedback.stats': async (p) => statsOf(p, (await read(p)).get(p.tier)!),

    'feedback.recommend': async (p) => {
      const buckets = await read(p);
      const statsFor = (tier: (typeof TIERS)[number]) => statsOf({ workflow: p.workflow, stage: p.stage, tier }, buckets.get(tier)!);
      const lower = TIERS[TIERS.indexOf(p.currentTier) - 1];
      return recommend(statsFor(p.currentTier), lower === undefined ? undefined : statsFor(lower));
    },
  };
}
