/** `feedback stats WORKFLOW STAGE [TIER]` and `feedback recommend WORKFLOW STAGE TIER`: quality scores per model tier (docs/feedback.md). */
import { InvalidArgumentError, type Command } from 'commander';
import { TIERS, type Tier } from '../protocol/tier';
import type { FeedbackStats } from '../protocol/types';
import { daemonCommand, print, printJson, withClient } from './client-commands';
import { table } from './table';

export function registerFeedbackCommands(program: Command): void {
  const feedback = program.command('feedback').description('quality feedback per workflow stage and model tier');

  daemonCommand(feedback, 'stats')
    .argument('<workflow>')
    .argument('<stage>')
    .argument('[tier]', TIERS.join(' | '), parseTier)
    .description(`avg, min, max, count and trend of the last 7 days' scores (every tier without TIER: ${TIERS.join(', ')})`)
    .action(withClient(async (client, flags, _o: object, workflow: string, stage: string, tier?: Tier) => {
      const tiers = tier === undefined ? TIERS : [tier];
      const stats = await Promise.all(tiers.map((t) => client.feedback.stats({ workflow, stage, tier: t })));
      if (flags.json) return printJson(tier === undefined ? stats : stats[0]);
      print(statsTable(stats));
    }));

  daemonCommand(feedback, 'recommend')
    .argument('<workflow>')
    .argument('<stage>')
    .argument('<currentTier>', TIERS.join(' | '), parseTier)
    .description('the tier the scores point to: upgrade below avg 0.7, downgrade above 0.9 when the tier below averages above 0.85')
    .action(withClient(async (client, flags, _o: object, workflow: string, stage: string, currentTier: Tier) => {
      const r = await client.feedback.recommend({ workflow, stage, currentTier });
      if (flags.json) return printJson(r);
      print(`${r.change} → ${r.recommendedTier}  (confidence ${r.confidence})\n${r.reason}`);
    }));
}

function parseTier(text: string): Tier {
  if (!(TIERS as readonly string[]).includes(text)) throw new InvalidArgumentError(`tier must be one of ${TIERS.join(', ')}`);
  return text as Tier;
}

const figure = (n: number | null) => (n === null ? '-' : String(Number(n.toFixed(3))));

function statsTable(stats: FeedbackStats[]): string {
  const rows = stats.map((s) => [s.tier, String(s.count), figure(s.avg), figure(s.min), figure(s.max), s.trendDelta === null ? s.trend : `${s.trend} (${s.trendDelta > 0 ? '+' : ''}${figure(s.trendDelta)})`]);
  return `${table(['TIER', 'COUNT', 'AVG', 'MIN', 'MAX', 'TREND'], rows)}\n(last 7 days)`;
}
