/**
 * What the dashboard has seen, on the daemon's 10 s step grid: outcome figures per step and agent,
 * queue depths per step and queue. Plain JSON, so it is also the page's saved state (it survives
 * the tab being hidden and a window reload), trimmed to the last hour.
 */
import type { OutcomeTimeline, QueueSummary } from '../../protocol/types';
import type { DashboardOutcome } from './protocol';

export const STEP_MS = 10_000;
export const HISTORY_MS = 3_600_000;
/** Durations kept per agent and live step for its p95: enough for a rank within 0.1 %, bounded memory. */
const MAX_DURATIONS = 5000;

export interface StepFigures {
  count: number;
  errors: number;
  p95Ms: number | null;
  tokens: number;
  cost: number;
}

export interface QueueDepth {
  waiting: number;
  active: number;
  dead: number;
}

export interface Totals {
  count: number;
  errors: number;
  cost: number;
  tokens: number;
  /** The newest step's p95 (percentiles of steps do not add up). */
  p95Ms: number | null;
}

export interface History {
  /** Outcomes recorded up to this time (Redis clock) came with a timeline: later ones are added live. */
  countedUntil: number;
  /** Step start (epoch ms) → agent → figures. */
  outcomes: Record<string, Record<string, StepFigures>>;
  /** Step start → queue → its depth last seen in that step. */
  queues: Record<string, Record<string, QueueDepth>>;
}

export function emptyHistory(): History {
  return { countedUntil: 0, outcomes: {}, queues: {} };
}

const stepOf = (ms: number) => Math.floor(ms / STEP_MS) * STEP_MS;

export class HistoryModel {
  /** Durations of live steps, `${step} ${agent}` → ms, for their p95 (not saved: a reload takes p95s as they were). */
  private readonly durations = new Map<string, number[]>();

  constructor(readonly history: History) {}

  /**
   * The daemon's picture replaces what the page counted for the same steps and agents (the same
   * outcomes, counted once); what the daemon no longer has (a new Redis) is kept as seen.
   */
  applyTimeline(timeline: OutcomeTimeline): void {
    const stepMs = timeline.stepSeconds * 1000;
    for (const series of timeline.agents) {
      series.count.forEach((count, i) => {
        if (count === 0) return;
        const step = String(timeline.start + i * stepMs);
        (this.history.outcomes[step] ??= {})[series.agentName] = {
          count,
          errors: series.errors[i]!,
          p95Ms: series.p95Ms[i]!,
          tokens: series.tokensUsed[i]!,
          cost: series.costUsd[i]!,
        };
      });
    }
    this.history.countedUntil = Math.max(this.history.countedUntil, timeline.at);
    this.durations.clear();
  }

  applyOutcomes(outcomes: DashboardOutcome[]): void {
    const touched = new Set<string>();
    for (const outcome of outcomes) {
      // Recorded before the timeline was read: already in it.
      if (outcome.timestamp <= this.history.countedUntil) continue;
      const step = stepOf(outcome.timestamp);
      const figures = ((this.history.outcomes[step] ??= {})[outcome.agentName] ??= { count: 0, errors: 0, p95Ms: null, tokens: 0, cost: 0 });
      figures.count++;
      if (outcome.error) figures.errors++;
      figures.tokens += outcome.tokensUsed;
      figures.cost += outcome.costUsd;
      const key = `${step} ${outcome.agentName}`;
      let durations = this.durations.get(key);
      if (!durations) this.durations.set(key, (durations = []));
      if (durations.length < MAX_DURATIONS) durations.push(outcome.durationMs);
      touched.add(key);
    }
    for (const key of touched) {
      const [step, agentName] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
      const durations = this.durations.get(key)!.sort((a, b) => a - b);
      // Nearest rank, as the daemon computes it (outcome.stats).
      this.history.outcomes[step]![agentName]!.p95Ms = durations[Math.max(0, Math.ceil(0.95 * durations.length) - 1)]!;
    }
  }

  applyQueues(queues: QueueSummary[], now: number): void {
    if (queues.length === 0) return;
    const depths = (this.history.queues[stepOf(now)] ??= {});
    for (const q of queues) depths[q.queue] = { waiting: q.waiting.high + q.waiting.normal + q.waiting.low + q.delayed, active: q.active, dead: q.dead };
  }

  /** Forgets what is older than the last hour. */
  trim(now: number): void {
    const oldest = now - HISTORY_MS;
    for (const table of [this.history.outcomes, this.history.queues]) for (const step of Object.keys(table)) if (Number(step) < oldest) delete table[step];
    for (const key of this.durations.keys()) if (Number(key.slice(0, key.indexOf(' '))) < stepOf(now) - STEP_MS) this.durations.delete(key);
  }

  agents(): string[] {
    return [...new Set(Object.values(this.history.outcomes).flatMap((byAgent) => Object.keys(byAgent)))].sort();
  }

  queueNames(): string[] {
    return [...new Set(Object.values(this.history.queues).flatMap((byQueue) => Object.keys(byQueue)))].sort();
  }

  /** Step starts of the last `spanMs`, oldest first, the current (filling) step last. */
  steps(now: number, spanMs: number): number[] {
    const last = stepOf(now);
    const count = Math.ceil(spanMs / STEP_MS);
    return Array.from({ length: count }, (_, i) => last - (count - 1 - i) * STEP_MS);
  }

  figures(step: number, agentName: string): StepFigures | undefined {
    return this.history.outcomes[step]?.[agentName];
  }

  depth(step: number, queue: string): QueueDepth | undefined {
    return this.history.queues[step]?.[queue];
  }

  /** Each agent's totals over the steps from `since` on, and its latest p95: one pass, whatever the number of agents. */
  totalsByAgent(since: number): Map<string, Totals> {
    const byAgent = new Map<string, Totals & { p95At: number }>();
    for (const [stepKey, figuresByAgent] of Object.entries(this.history.outcomes)) {
      const step = Number(stepKey);
      if (step < since) continue;
      for (const [name, figures] of Object.entries(figuresByAgent)) {
        let totals = byAgent.get(name);
        if (!totals) byAgent.set(name, (totals = { count: 0, errors: 0, cost: 0, tokens: 0, p95Ms: null, p95At: -Infinity }));
        totals.count += figures.count;
        totals.errors += figures.errors;
        totals.cost += figures.cost;
        totals.tokens += figures.tokens;
        if (figures.p95Ms !== null && step > totals.p95At) [totals.p95At, totals.p95Ms] = [step, figures.p95Ms];
      }
    }
    return byAgent;
  }
}
