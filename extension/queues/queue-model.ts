/**
 * What the editor knows of the work queues: each queue's counts (a `queue.list` snapshot, then
 * the `queue.stats` pushes on top) and the dead jobs of the queues the user has open. Plain
 * TypeScript (no vscode import) so it is tested in Node. Changes are coalesced and handed to
 * listeners at most every `flushMs`, naming the queues that changed, so that a burst of dead
 * jobs becomes one refresh (and one notification) per queue.
 */
import type { Job, PushedEvent, QueueSummary } from '../../protocol/types';
import { ChangeBatcher } from '../model/change-batcher';

export type QueueEvent = Extract<PushedEvent, { topic: 'queues' }>;

export interface QueueChange {
  /** Queues whose counts or dead jobs changed, or 'all' after a snapshot. */
  queues: Set<string> | 'all';
  /** Jobs that went dead since the last flush, as pushed (for notifications). */
  newlyDead: Job[];
}

export class QueueModel {
  readonly summaries = new Map<string, QueueSummary>();
  /** Dead jobs (newest first) of the watched queues only: those whose rows are expanded. */
  private readonly dead = new Map<string, Job[]>();
  private readonly watched = new Set<string>();
  /** How many stats pushes were applied, and the count when each queue's last one was. */
  private pushes = 0;
  private readonly pushedAt = new Map<string, number>();

  private readonly changes: ChangeBatcher<QueueChange>;

  constructor(flushMs = 100) {
    this.changes = new ChangeBatcher(emptyChange, flushMs);
  }

  onDidChange(listener: (change: QueueChange) => void): { dispose(): void } {
    return this.changes.onDidChange(listener);
  }

  /** Queues by name. */
  queues(): QueueSummary[] {
    return [...this.summaries.values()].sort((a, b) => a.queue.localeCompare(b.queue));
  }

  /** A mark to take just before asking for a snapshot, and to hand to `applySnapshot` with its answer. */
  mark(): number {
    return this.pushes;
  }

  /**
   * A `queue.list` answer, asked for at `mark` (omitted: no push is newer). A queue's stats pushed
   * while the list was on its way are kept: the daemon may have read the list before that push's
   * sample and sent it after, and it pushes a queue's counts again only when they change, so
   * letting the older list win would leave the row showing them until the next change. A pushed
   * figure older than the list, on the other hand, is followed by a push of the newer one.
   */
  applySnapshot(list: QueueSummary[], mark = this.pushes): void {
    const newer = new Map<string, QueueSummary>();
    for (const [queue, at] of this.pushedAt) {
      const summary = this.summaries.get(queue);
      if (at > mark && summary) newer.set(queue, summary);
    }
    this.summaries.clear();
    for (const summary of list) this.summaries.set(summary.queue, newer.get(summary.queue) ?? summary);
    for (const [queue, summary] of newer) this.summaries.set(queue, summary);
    this.changes.pending.queues = 'all';
    this.changes.schedule();
  }

  /**
   * Applies one push. Returns the queue whose dead jobs are now out of date and watched (the
   * caller reloads them with `queue.dead`), if any.
   */
  applyEvent(event: QueueEvent): string | undefined {
    switch (event.type) {
      case 'queue.stats':
        this.summaries.set(event.data.queue, event.data);
        this.pushedAt.set(event.data.queue, ++this.pushes);
        this.touch(event.data.queue);
        return undefined;
      case 'job.dead':
        this.changes.pending.newlyDead.push(event.data);
        this.changes.schedule();
        return this.staleDead(event.data.queue);
      case 'job.replayed':
        return this.staleDead(event.data.queue);
      case 'queue.purged':
        return event.data.state === 'dead' ? this.staleDead(event.data.queue) : undefined;
      default:
        // Enqueues and retries change counts only, which the next queue.stats push brings.
        return undefined;
    }
  }

  /** Starts keeping the queue's dead jobs (its row was expanded); they are loaded by the caller. */
  watch(queue: string): void {
    this.watched.add(queue);
  }

  /** Forgets the queue's dead jobs (its row was collapsed): they are loaded afresh when it opens again. */
  unwatch(queue: string): void {
    this.watched.delete(queue);
    this.dead.delete(queue);
  }

  watchedQueues(): string[] {
    return [...this.watched];
  }

  /** The loaded dead jobs of a watched queue (undefined until loaded). */
  deadJobs(queue: string): Job[] | undefined {
    return this.dead.get(queue);
  }

  /** A `queue.dead` answer; a change only when the list differs from the one shown. */
  setDead(queue: string, jobs: Job[]): void {
    if (!this.watched.has(queue)) return; // collapsed while the answer was on its way
    const before = this.dead.get(queue);
    this.dead.set(queue, jobs);
    if (!before || deadKey(before) !== deadKey(jobs)) this.touch(queue);
  }

  /** Emits the coalesced change now (tests; and the timer). */
  flush(): void {
    this.changes.flush();
  }

  dispose(): void {
    this.changes.dispose();
  }

  private staleDead(queue: string): string | undefined {
    return this.watched.has(queue) ? queue : undefined;
  }

  private touch(queue: string): void {
    if (this.changes.pending.queues !== 'all') this.changes.pending.queues.add(queue);
    this.changes.schedule();
  }
}

/** Dead jobs do not change while dead: their ids and deaths say whether a list is the same. */
function deadKey(jobs: Job[]): string {
  return jobs.map((job) => `${job.jobId}@${job.finishedAt}`).join('\n');
}

function emptyChange(): QueueChange {
  return { queues: new Set(), newlyDead: [] };
}
