/** `outcomes` (recent outcomes, --follow for new ones and alerts) and `stats` (per-agent rolling stats). */
import { InvalidArgumentError, type Command } from 'commander';
import { MAX_OUTCOME_WINDOW_SECONDS, OUTCOME_STATUSES, OUTCOME_WINDOW_SECONDS, type OutcomeStatus } from '../protocol/outcome';
import type { OutcomeEvent, OutcomeStats, OutcomeStatsResult } from '../protocol/types';
import { daemonCommand, parseInteger, print, printJson, untilInterrupted, withClient } from './client-commands';
import { table, truncate } from './table';

interface OutcomeFilter {
  agent?: string;
  status?: OutcomeStatus;
}

export function registerOutcomeCommands(program: Command): void {
  daemonCommand(program, 'outcomes')
    .description('recent outcomes of agent actions; --follow prints new ones and failure-rate alerts as they come')
    .option('--agent <name>', 'only this agent')
    .option('--status <status>', `only this status (${OUTCOME_STATUSES.join(', ')})`, parseStatus)
    .option('--count <n>', 'how many recent outcomes', parseInteger, 20)
    .option('--follow', 'keep printing new outcomes')
    .action(withClient(async (client, flags, o: OutcomeFilter & { count: number; follow?: boolean }) => {
      const recent = await client.outcomes.recent({ agentName: o.agent, status: o.status, count: o.count });
      if (!o.follow) return flags.json ? printJson(recent) : print(recent.length ? outcomesTable(recent) : 'no outcomes');
      const line = (outcome: OutcomeEvent) => print(flags.json ? JSON.stringify(outcome) : outcomesTable([outcome], false));
      if (!flags.json && recent.length) print(outcomesTable(recent));
      else recent.forEach(line);
      await client.subscribe(['outcomes'], (event) => {
        if (event.topic !== 'outcomes') return;
        if (event.type === 'outcome.recorded') event.data.filter((outcome) => matches(outcome, o)).forEach(line);
        else if ((event.type === 'alert.failure_rate' || event.type === 'alert.recovered') && (!o.agent || event.data.agentName === o.agent)) {
          const { agentName, errorRate, count, windowSeconds } = event.data;
          print(flags.json ? JSON.stringify({ type: event.type, ...event.data }) : `${event.type}  ${agentName}: ${percent(errorRate)} errors of ${count} in ${windowSeconds}s`);
        }
      });
      if (!flags.json) print('(following; Ctrl-C to stop)');
      await untilInterrupted();
    }));

  daemonCommand(program, 'stats')
    .description(`per-agent outcome stats over a window (default ${OUTCOME_WINDOW_SECONDS}s): count, rates, duration percentiles, tokens, cost`)
    .option('--agent <name>', 'only this agent')
    .option('--window <seconds>', `window in seconds (at most ${MAX_OUTCOME_WINDOW_SECONDS})`, parseInteger)
    .action(withClient(async (client, flags, o: { agent?: string; window?: number }) => {
      const stats = await client.outcomes.stats({ agentName: o.agent, windowSeconds: o.window });
      return flags.json ? printJson(stats) : print(statsTable(stats));
    }));
}

function parseStatus(text: string): OutcomeStatus {
  if (!(OUTCOME_STATUSES as readonly string[]).includes(text)) throw new InvalidArgumentError(`must be one of ${OUTCOME_STATUSES.join(', ')}`);
  return text as OutcomeStatus;
}

function matches(outcome: OutcomeEvent, filter: OutcomeFilter): boolean {
  return (!filter.agent || outcome.agentName === filter.agent) && (!filter.status || outcome.status === filter.status);
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const ms = (value: number | null) => (value === null ? '-' : value < 10 ? `${value.toFixed(1)}ms` : `${Math.round(value)}ms`);

function outcomesTable(outcomes: OutcomeEvent[], headers = true): string {
  const rows = outcomes.map((o) => [
    new Date(o.timestamp).toISOString().slice(11, 23),
    o.agentName,
    o.actionType,
    o.status,
    o.severity,
    ms(o.durationMs),
    String(o.tokensUsed ?? ''),
    o.costUsd === undefined ? '' : `$${o.costUsd}`,
    truncate(o.errorMessage ?? '', 60),
  ]);
  const text = table(['TIME', 'AGENT', 'ACTION', 'STATUS', 'SEVERITY', 'DURATION', 'TOKENS', 'COST', 'ERROR'], rows);
  return headers ? text : text.split('\n').slice(1).join('\n');
}

function statsTable({ agents, fleet, windowSeconds }: OutcomeStatsResult): string {
  if (agents.length === 0) return `no outcomes in the last ${windowSeconds}s`;
  const row = (name: string, s: OutcomeStats, alert: string) => [
    name,
    String(s.count),
    percent(s.successRate),
    percent(s.errorRate),
    ms(s.p50Ms),
    ms(s.p95Ms),
    ms(s.p99Ms),
    String(s.tokensUsed),
    `$${s.costUsd.toFixed(4)}`,
    alert,
  ];
  const rows = agents.map((a) => row(a.agentName, a, a.alerting ? 'FAILURE RATE' : ''));
  if (agents.length > 1) rows.push(row('(fleet)', fleet, ''));
  return `${table(['AGENT', 'COUNT', 'SUCCESS', 'ERRORS', 'P50', 'P95', 'P99', 'TOKENS', 'COST', 'ALERT'], rows)}\n(last ${windowSeconds}s)`;
}
