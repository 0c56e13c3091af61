/** How queues and dead jobs read in the Queues view: row texts and Markdown tooltips (plain TypeScript). */
import { clockTime } from '../../common/time-format';
import type { Job, QueueStats, QueueSummary } from '../../protocol/types';

/** A payload longer than this is cut in the tooltip (a hover is no place for a megabyte). */
export const PAYLOAD_SHOWN_CHARS = 2_000;

export function waitingCount(stats: QueueStats): number {
  return stats.waiting.high + stats.waiting.normal + stats.waiting.low;
}

/**
 * `1 dead · 5 waiting (2 high) · 1 delayed · 2 active`: dead first (the sidebar is narrow, and a
 * cut description hides its end), waiting broken down only by its high and low jobs (the rest
 * are normal), zeros left out except waiting.
 */
export function describeQueue(stats: QueueStats): string {
  const { high, low } = stats.waiting;
  const byPriority = [plural(high, 'high'), plural(low, 'low')].filter(Boolean).join(', ');
  const waiting = `${waitingCount(stats)} waiting${byPriority ? ` (${byPriority})` : ''}`;
  return [plural(stats.dead, 'dead'), waiting, plural(stats.delayed, 'delayed'), plural(stats.active, 'active')].filter(Boolean).join(' · ');
}

export function queueTooltip(summary: QueueSummary): string {
  const { waiting } = summary;
  const held = waitingCount(summary) + summary.delayed + summary.active;
  return [
    `**${escape(summary.queue)}**${summary.dead > 0 ? ` — $(warning) ${summary.dead} dead ${summary.dead === 1 ? 'job' : 'jobs'}` : ''}`,
    `Waiting: ${waiting.high} high · ${waiting.normal} normal · ${waiting.low} low`,
    `Delayed: ${summary.delayed} · Active: ${summary.active} · Dead: ${summary.dead}`,
    `Completed: ${count(summary.completedTotal)} in all${summary.completed > 0 ? ` (the newest ${count(summary.completed)} kept)` : ''}`,
    `Holds ${count(held)} of at most ${count(summary.maxLength)} (waiting, delayed and active)`,
  ].join('\n\n');
}

/** The row of a dead job says why it died: the first line of its last error. */
export function deadJobLabel(job: Job): string {
  return job.lastError?.split('\n', 1)[0]?.trim() || '(no error given)';
}

export function describeDeadJob(job: Job, now = Date.now()): string {
  return `${job.attempts} of ${job.maxAttempts} ${job.maxAttempts === 1 ? 'attempt' : 'attempts'} · died ${moment(job.finishedAt ?? job.enqueuedAt, now)}`;
}

export function deadJobTooltip(job: Job, now = Date.now()): string {
  const facts = [
    `${job.priority} priority`,
    `enqueued ${moment(job.enqueuedAt, now)}`,
    job.finishedAt && `died ${moment(job.finishedAt, now)}`,
    `after ${job.attempts} of ${job.maxAttempts} attempts`,
  ].filter(Boolean);
  return [
    `**Dead job** \`${job.jobId}\``,
    facts.join(' · '),
    `Last error:\n${fence(job.lastError ?? '(no error given)', '')}`,
    `Payload:\n${fence(payloadText(job.payload), 'json')}`,
  ].join('\n\n');
}

/** The payload as pretty JSON, cut to PAYLOAD_SHOWN_CHARS. */
export function payloadText(payload: unknown): string {
  const text = JSON.stringify(payload, null, 2) ?? 'null';
  return text.length <= PAYLOAD_SHOWN_CHARS ? text : `${text.slice(0, PAYLOAD_SHOWN_CHARS)}\n… (${text.length - PAYLOAD_SHOWN_CHARS} more characters)`;
}

/** A time of day today; with the date before today (a dead job may sit for days). */
export function moment(epochMs: number, now = Date.now()): string {
  const sameDay = new Date(epochMs).toDateString() === new Date(now).toDateString();
  return sameDay ? clockTime(epochMs) : new Date(epochMs).toLocaleString();
}

function plural(n: number, word: string): string {
  return n > 0 ? `${n} ${word}` : '';
}

/** Large numbers with the user's digit grouping (1,000,000): maxLength is often one. */
function count(n: number): string {
  return n.toLocaleString();
}

/** A fenced code block whose fence no line of the text can close. */
function fence(text: string, language: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const bar = '`'.repeat(longest + 1);
  return `${bar}${language}\n${text}\n${bar}`;
}

/** Queue names are ids (letters, digits, `._:@/-`): of those only `_` means something in Markdown. */
function escape(name: string): string {
  return name.replaceAll('_', '\\_');
}
