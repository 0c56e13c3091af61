/**
 * What the editor knows of the workflows: each run's summary (a `workflow.list` snapshot, then the
 * `workflows` pushes on top) and, for the runs something happened to or someone looks at, the whole
 * Workflow with its steps (a `workflow.get` answer). Plain TypeScript (no vscode import), tested in
 * Node. Changes are coalesced and handed to listeners at most every `flushMs`, naming the runs that
 * changed, so that a burst of step events becomes one redraw per run.
 *
 * A step event says a step's new state, but not what it did to the rest of the run (its dependents
 * queued, the run's progress): every push names its run as stale, and the feed reads it again.
 */
import { DEFAULTS } from '../../protocol/limits';
import type { PushedEvent, Workflow, WorkflowSummary } from '../../protocol/types';
import { ChangeBatcher } from '../model/change-batcher';

/**
 * Runs kept: as many as the snapshot holds. Pushes add runs for as long as the editor is open (a
 * run every 30 s is 2 880 a day); past this the oldest ended runs nobody looks at are let go, as a
 * snapshot would not have listed them either. A run the daemon's retention deleted sends no push:
 * it goes with the next snapshot (a reconnect) or as newer runs push it past this.
 */
const KEPT_RUNS = DEFAULTS.workflowListCount;

export type WorkflowEvent = Extract<PushedEvent, { topic: 'workflows' }>;

export interface WorkflowChange {
  /** Runs whose summary or steps changed, or 'all' after a snapshot. */
  workflows: Set<string> | 'all';
}

export class WorkflowModel {
  readonly summaries = new Map<string, WorkflowSummary>();
  /** Whole workflows (with their steps) as last read, of the runs loaded. */
  private readonly details = new Map<string, Workflow>();
  /** Runs whose steps someone looks at (an expanded row, an open graph): loaded even before a push. */
  private readonly watched = new Set<string>();
  /** How many pushes were applied, and the count when each run's last one was. */
  private pushes = 0;
  private readonly pushedAt = new Map<string, number>();

  private readonly changes: ChangeBatcher<WorkflowChange>;

  constructor(flushMs = 100) {
    this.changes = new ChangeBatcher(emptyChange, flushMs);
  }

  onDidChange(listener: (change: WorkflowChange) => void): { dispose(): void } {
    return this.changes.onDidChange(listener);
  }

  /** Runs newest first (ties by id, so the order is stable). */
  workflows(): WorkflowSummary[] {
    return [...this.summaries.values()].sort((a, b) => b.startedAt - a.startedAt || a.workflowId.localeCompare(b.workflowId));
  }

  /** A run's name as the daemon gave it (its id until the run is known). */
  name(workflowId: string): string {
    return this.summaries.get(workflowId)?.name ?? workflowId;
  }

  /** The run with its steps, once loaded. */
  workflow(workflowId: string): Workflow | undefined {
    return this.details.get(workflowId);
  }

  /** A mark to take just before asking for a snapshot, and to hand to `applySnapshot` with its answer. */
  mark(): number {
    return this.pushes;
  }

  /**
   * A `workflow.list` answer, asked for at `mark`. A run pushed while the list was on its way keeps
   * its pushed summary (the list may have been read before it). Returns the loaded runs, which the
   * caller reads again: pushes about their steps may have been missed.
   */
  applySnapshot(list: WorkflowSummary[], mark = this.pushes): string[] {
    const newer = new Map<string, WorkflowSummary>();
    for (const [workflowId, at] of this.pushedAt) {
      const summary = this.summaries.get(workflowId);
      if (at > mark && summary) newer.set(workflowId, summary);
    }
    // Pushes older than this answer say nothing it does not: only the newer ones are remembered.
    for (const [workflowId, at] of this.pushedAt) if (at <= mark) this.pushedAt.delete(workflowId);
    this.summaries.clear();
    for (const summary of list) this.summaries.set(summary.workflowId, newer.get(summary.workflowId) ?? summary);
    for (const [workflowId, summary] of newer) this.summaries.set(workflowId, summary);
    for (const workflowId of this.details.keys()) if (!this.summaries.has(workflowId)) this.details.delete(workflowId);
    this.changes.pending.workflows = 'all';
    this.changes.schedule();
    return [...new Set([...this.details.keys(), ...this.watched])].filter((workflowId) => this.summaries.has(workflowId));
  }

  /** Applies one push; returns the run to read again (its steps and progress moved). */
  applyEvent(event: WorkflowEvent): string {
    this.pushedAt.set(event.data.workflowId, ++this.pushes);
    if (event.type.startsWith('workflow.')) {
      const summary = event.data as WorkflowSummary;
      const added = !this.summaries.has(summary.workflowId);
      this.summaries.set(summary.workflowId, summary);
      if (added) this.letGoOfOldRuns();
      const detail = this.details.get(summary.workflowId);
      if (detail) this.details.set(summary.workflowId, { ...detail, ...summary });
    } else if ('step' in event.data) {
      const { workflowId, step } = event.data;
      const detail = this.details.get(workflowId);
      // The pushed step has its state, not its definition: that stays from the last read.
      if (detail) this.details.set(workflowId, { ...detail, steps: detail.steps.map((s) => (s.name === step.name ? { ...s, ...step } : s)) });
    }
    this.touch(event.data.workflowId);
    return event.data.workflowId;
  }

  /** A `workflow.get` answer; a run no longer there (null) is forgotten. */
  setWorkflow(workflowId: string, workflow: Workflow | null): void {
    if (!workflow) {
      this.forget(workflowId);
    } else {
      const { steps: _steps, ...summary } = workflow;
      this.summaries.set(workflowId, summary);
      this.details.set(workflowId, workflow);
    }
    this.touch(workflowId);
  }

  watch(workflowId: string): void {
    this.watched.add(workflowId);
  }

  unwatch(workflowId: string): void {
    this.watched.delete(workflowId);
  }

  /** Emits the coalesced change now (tests; and the timer). */
  flush(): void {
    this.changes.flush();
  }

  dispose(): void {
    this.changes.dispose();
  }

  /** Past KEPT_RUNS, the oldest ended runs that no row or graph is open on. */
  private letGoOfOldRuns(): void {
    if (this.summaries.size <= KEPT_RUNS) return;
    const ended = this.workflows().filter((run) => run.endedAt !== undefined && !this.watched.has(run.workflowId));
    for (const run of ended.slice(-(this.summaries.size - KEPT_RUNS))) {
      this.forget(run.workflowId);
      this.touch(run.workflowId);
    }
  }

  private forget(workflowId: string): void {
    this.summaries.delete(workflowId);
    this.details.delete(workflowId);
    this.pushedAt.delete(workflowId);
  }

  private touch(workflowId: string): void {
    const { pending } = this.changes;
    if (pending.workflows !== 'all') pending.workflows.add(workflowId);
    this.changes.schedule();
  }
}

function emptyChange(): WorkflowChange {
  return { workflows: new Set() };
}
