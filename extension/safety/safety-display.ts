/**
 * How incidents, breakers and budgets read in the Safety view and its notifications: row texts,
 * icons (codicon and theme colour ids) and Markdown tooltips. Plain TypeScript. Times are clock
 * times: rows are not redrawn as time passes.
 */
import { clockTime } from '../../common/time-format';
import { BUDGET_WARN_FRACTION } from '../../protocol/safety';
import type { Breaker, Budget } from '../../protocol/types';
import { isPolicyIncident, type Incident, type IncidentKind } from './incidents';

/** A codicon and the theme colour it is drawn in (none: the default foreground). */
export interface Look {
  icon: string;
  color?: string;
}

const KIND_WORDS: Record<IncidentKind, string> = { blocked: 'blocked', warned: 'warned', policy_denied: 'refused by policy', approval_required: 'sent for approval' };
const KIND_LOOKS: Record<IncidentKind, Look> = {
  blocked: { icon: 'error', color: 'errorForeground' },
  warned: { icon: 'warning', color: 'list.warningForeground' },
  policy_denied: { icon: 'circle-slash', color: 'errorForeground' },
  approval_required: { icon: 'bell-dot', color: 'list.warningForeground' },
};

/** Cells of the budget bar: the sidebar is narrow, and the percentage follows it. */
export const BAR_CELLS = 10;

export function incidentLook(incident: Incident): Look {
  return KIND_LOOKS[incident.kind];
}

/** `writer: secret.aws_key`: who, and which rules; for a tool call the policy decided, who and which tool. */
export function incidentLabel(incident: Incident): string {
  const what = isPolicyIncident(incident) ? incident.subject : incident.ruleIds.join(', ');
  return `${incident.agentId ?? '(no agent)'}: ${what || KIND_WORDS[incident.kind]}`;
}

/**
 * `signal.send payload.note 12–32 · 14:02:11`: where (the method, the payload path or field, the
 * first span) and when. What it was is the icon's (and the tooltip's): the narrow sidebar cuts
 * the description's end, and two rows of one agent and rule differ by where.
 */
export function describeIncident(incident: Incident): string {
  return [isPolicyIncident(incident) ? incident.reason : where(incident), clockTime(incident.ts)].filter(Boolean).join(' · ');
}

export function incidentTooltip(incident: Incident): string {
  const spans = incident.spans.map((span) => `- \`${span.ruleId}\`${span.path ? ` in \`${span.path}\`` : ''} at characters ${span.start}–${span.end}`);
  return [
    `**${capital(KIND_WORDS[incident.kind])}** at ${clockTime(incident.ts)}`,
    `Agent: ${incident.agentId ?? '(none given)'}`,
    incident.subject && `${isPolicyIncident(incident) ? 'Tool' : 'Method'}: \`${incident.subject}\`${incident.field ? `, field \`${incident.field}\`` : ''}`,
    incident.ruleIds.length > 0 && `Rules: ${incident.ruleIds.map((id) => `\`${id}\``).join(', ')}`,
    spans.length > 0 && spans.join('\n'),
    incident.reason && `Reason: ${incident.reason}`,
    'The content itself is never kept: only where and why.',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** The accessible name of an incident's row (screen readers; the e2e test finds rows by it). */
export function incidentAccessible(incident: Incident): string {
  return `${KIND_WORDS[incident.kind]}: ${incidentLabel(incident)}, ${(isPolicyIncident(incident) ? incident.reason : where(incident)) ?? ''}`;
}

export function breakerLook(breaker: Breaker): Look {
  if (breaker.state === 'open') return { icon: 'circle-slash', color: 'errorForeground' };
  if (breaker.state === 'half_open') return { icon: 'debug-pause', color: 'list.warningForeground' };
  return { icon: 'pass', color: 'testing.iconPassed' };
}

/** What a reset would end, as the Reset modal says it. */
export function breakerSentence(breaker: Breaker): string {
  const failures = `${breaker.failures} ${breaker.failures === 1 ? 'failure' : 'failures'}`;
  if (breaker.state === 'open') return `It opened after ${failures}${breaker.retryAt ? `; trial calls would start at ${clockTime(breaker.retryAt)}` : ''}.`;
  if (breaker.state === 'half_open') return `It is half-open after ${failures}: only its trial calls go through.`;
  return 'It is closed.';
}

/** `open · 5 failures · retry at 14:03:10`. */
export function describeBreaker(breaker: Breaker): string {
  const state = breaker.state === 'half_open' ? 'half-open (trial calls)' : breaker.state;
  const retry = breaker.state === 'open' && breaker.retryAt ? `retry at ${clockTime(breaker.retryAt)}` : '';
  return [state, `${breaker.failures} ${breaker.failures === 1 ? 'failure' : 'failures'}`, retry].filter(Boolean).join(' · ');
}

export function breakerTooltip(breaker: Breaker): string {
  const whose = breaker.name.startsWith('tool:') ? 'the tool' : 'the agent';
  const meaning: Record<Breaker['state'], string> = {
    open: `Calls of ${whose} are refused until the retry time, then a few trial calls go through.`,
    half_open: `Trial calls of ${whose} go through: all succeeding closes the breaker, one failing opens it again.`,
    closed: `Calls of ${whose} go through.`,
  };
  return [
    `**Breaker** \`${breaker.name}\`: ${breaker.state === 'half_open' ? 'half-open' : breaker.state}`,
    meaning[breaker.state],
    `Consecutive failures: ${breaker.failures}`,
    breaker.openedAt && `Opened at ${clockTime(breaker.openedAt)}`,
    breaker.retryAt && breaker.state === 'open' && `Retry at ${clockTime(breaker.retryAt)}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** The larger of the token and cost fractions used (0 with no limit). */
export function budgetFraction(budget: Budget): number {
  const fractions = [budget.tokens ? budget.used.tokens / budget.tokens : 0, budget.costUsd ? budget.used.costUsd / budget.costUsd : 0];
  return Math.max(...fractions);
}

/** The budget's level as the daemon said it, or as its figures say (a snapshot's state may lag a push). */
export function budgetLevel(budget: Budget): Budget['state'] {
  const fraction = budgetFraction(budget);
  if (budget.state === 'exceeded' || fraction >= 1) return 'exceeded';
  if (budget.state === 'warning' || fraction >= BUDGET_WARN_FRACTION) return 'warning';
  return 'ok';
}

export function budgetLook(budget: Budget): Look {
  const level = budgetLevel(budget);
  if (level === 'exceeded') return { icon: 'error', color: 'errorForeground' };
  if (level === 'warning') return { icon: 'warning', color: 'list.warningForeground' };
  return { icon: 'pie-chart' };
}

/**
 * `85 % ■■■■■■■■□□`: the percentage first (the narrow sidebar cuts the end; not capped: 130 %
 * says by how much) and a text bar, full at 100 %.
 */
export function describeBudget(budget: Budget): string {
  const fraction = budgetFraction(budget);
  // Rounded down: a bar never shows more use than there is (85 % fills 8 cells, not 9).
  const full = Math.min(BAR_CELLS, Math.floor(fraction * BAR_CELLS));
  return `${percent(fraction)}${budgetLevel(budget) === 'exceeded' ? ' exceeded' : ''} ${'■'.repeat(full)}${'□'.repeat(BAR_CELLS - full)}`;
}

export function budgetTooltip(budget: Budget, asOf?: number): string {
  const level = budgetLevel(budget);
  return [
    `**Budget** \`${budget.scope}\`: ${percent(budgetFraction(budget))} used${level === 'ok' ? '' : level === 'warning' ? ' — $(warning) past 80 %' : ' — $(error) exceeded: calls in its scope are refused (or need approval)'}`,
    budget.tokens !== undefined && `Tokens: ${budget.used.tokens.toLocaleString()} of ${budget.tokens.toLocaleString()}`,
    budget.costUsd !== undefined && `Cost: ${dollars(budget.used.costUsd)} of ${dollars(budget.costUsd)}`,
    `Period: ${periodText(budget.periodSeconds)}, this one since ${clockTime(budget.periodStart)}`,
    asOf !== undefined && `Figures as of ${clockTime(asOf)}: pushed when the use passes 80 % and 100 %; Refresh reads them now.`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

function where(incident: Incident): string {
  const span = incident.spans[0];
  const at = span ? `${span.start}–${span.end}${incident.spans.length > 1 ? ` (+${incident.spans.length - 1})` : ''}` : '';
  return [incident.subject, span?.path ?? incident.field, at].filter(Boolean).join(' ');
}

function dollars(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

function periodText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.round(seconds / 60)} min`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
