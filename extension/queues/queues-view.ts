/**
 * The Queues view: a row per queue with its counts, and under a queue with dead jobs those jobs
 * (loaded when the row is expanded, again when a push says they changed). A row is redrawn only
 * when what it shows changes (docs/ux.md): a stats push that moves nothing visible, or a reload
 * that finds the same dead jobs, leaves it and its open tooltip alone. Tooltips are built on hover.
 */
import * as vscode from 'vscode';
import { DEFAULTS } from '../../protocol/limits';
import type { Job, QueueSummary } from '../../protocol/types';
import { deadJobLabel, deadJobTooltip, describeDeadJob, describeQueue, queueTooltip } from './queue-display';
import type { QueueFeed } from './queue-feed';
import type { QueueModel } from './queue-model';

export type QueueNode =
  | { kind: 'queue'; queue: string }
  | { kind: 'job'; queue: string; job: Job }
  /** Dead jobs beyond the loaded page, counted. */
  | { kind: 'more'; queue: string; count: number };

export class QueuesView implements vscode.TreeDataProvider<QueueNode>, vscode.Disposable {
  private connected = false;
  private readonly changed = new vscode.EventEmitter<QueueNode | QueueNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One node per queue, kept: VS Code refreshes and reveals elements by identity. */
  private readonly nodes = new Map<string, QueueNode & { kind: 'queue' }>();
  /** Each queue row as last drawn (its text, whether it had dead jobs, the dead jobs under it), to redraw only rows whose look changed. */
  private readonly drawn = new Map<string, { text: string; withDead: boolean }>();
  private readonly drawnChildren = new Map<string, string>();
  /** The queues last listed as rows: a queue not among them needs the list redrawn. */
  private listed = new Set<string>();
  /**
   * Each queue's counts as of the model's last change handed over: rows are drawn from these, not
   * from the live model. VS Code asks for a row's item whenever it gets to it, which can be after a
   * push reached the model and before that push's (coalesced) change reached this view; drawn from
   * the live model, the row's new look was then recorded as drawn by an element refresh, and the
   * change itself found nothing to redraw: a row that gained its dead jobs that way kept its old
   * look (VS Code does not redraw a twistie that appears on an element refresh), for good, since
   * the counts are pushed again only when they change. Drawn from these, every look a row takes
   * has passed through the listener, which picks the refresh it needs.
   */
  private readonly shown = new Map<string, QueueSummary>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: QueueModel,
    private readonly feed: QueueFeed,
  ) {
    for (const summary of model.queues()) this.shown.set(summary.queue, summary);
    this.subscription = model.onDidChange((change) => {
      if (change.queues === 'all') this.shown.clear();
      for (const queue of change.queues === 'all' ? model.summaries.keys() : change.queues) {
        const summary = model.summaries.get(queue);
        if (summary) this.shown.set(queue, summary);
        else this.shown.delete(queue);
      }
      // A snapshot too redraws only what it changed: a resync that finds the same queues redraws nothing.
      const names = this.queues().map((summary) => summary.queue);
      const changed = change.queues === 'all' ? names : [...change.queues];
      const sameList = names.length === this.listed.size && names.every((queue) => this.listed.has(queue));
      // A row that gains or loses its dead jobs gains or loses its children: VS Code redraws that
      // reliably from the parent (the real-host test saw such a row keep its old look after an element refresh, now and then).
      if (!sameList || changed.some((queue) => this.deadFlipped(queue))) return this.changed.fire(undefined);
      const redraw = changed.filter((queue) => this.looksDifferent(queue)).map((queue) => this.node(queue));
      if (redraw.length > 0) this.changed.fire(redraw);
    });
  }

  setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    // Connected, the rows come with the snapshot the feed loads now: one redraw, not two.
    if (!connected) this.changed.fire(undefined);
  }

  /** The row of a queue (to reveal it), if it is listed. */
  node(queue: string): QueueNode & { kind: 'queue' } {
    let node = this.nodes.get(queue);
    if (!node) this.nodes.set(queue, (node = { kind: 'queue', queue }));
    return node;
  }

  /** The row was collapsed: its dead jobs are dropped, and loaded afresh when it opens again. */
  collapsed(node: QueueNode): void {
    if (node.kind !== 'queue') return;
    this.model.unwatch(node.queue);
    this.drawnChildren.delete(node.queue);
  }

  async getChildren(element?: QueueNode): Promise<QueueNode[]> {
    if (!this.connected) return [];
    if (!element) {
      const queues = this.queues();
      this.listed = new Set(queues.map((summary) => summary.queue));
      return queues.map((summary) => this.node(summary.queue));
    }
    if (element.kind !== 'queue') return [];
    const { queue } = element;
    if (!this.model.deadJobs(queue)) {
      this.model.watch(queue);
      await this.feed.loadDead(queue);
    }
    const jobs = this.model.deadJobs(queue) ?? [];
    this.drawnChildren.set(queue, this.childrenLook(queue));
    const rows: QueueNode[] = jobs.map((job) => ({ kind: 'job', queue, job }));
    const more = this.notListed(queue, jobs);
    return more > 0 ? [...rows, { kind: 'more', queue, count: more }] : rows;
  }

  getParent(element: QueueNode): QueueNode | undefined {
    return element.kind === 'queue' ? undefined : this.node(element.queue);
  }

  getTreeItem(node: QueueNode): vscode.TreeItem {
    if (node.kind === 'job') return deadJobItem(node.job);
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(`${node.count} older dead ${node.count === 1 ? 'job' : 'jobs'} not listed`);
      item.id = `more:${node.queue}`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.tooltip = 'The newest dead jobs are listed; replay or purge them to see older ones.';
      return item;
    }
    const summary = this.shown.get(node.queue);
    if (!summary) {
      // A row asked for just as a snapshot replaced the list: a look no row has, so the next change redraws it.
      this.drawn.set(node.queue, { text: '', withDead: false });
      return new vscode.TreeItem(node.queue);
    }
    this.drawn.set(node.queue, { text: describeQueue(summary), withDead: summary.dead > 0 });
    // A row without dead jobs has no children drawn; when it gets some, they are loaded afresh.
    if (summary.dead === 0) this.drawnChildren.delete(node.queue);
    return queueItem(summary);
  }

  resolveTreeItem(item: vscode.TreeItem, node: QueueNode): vscode.TreeItem {
    const summary = this.shown.get(node.queue);
    if (node.kind === 'queue' && summary) item.tooltip = new vscode.MarkdownString(queueTooltip(summary), true);
    if (node.kind === 'job') item.tooltip = new vscode.MarkdownString(deadJobTooltip(node.job));
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** Queues by name, as last handed over. */
  private queues(): QueueSummary[] {
    return [...this.shown.values()].sort((a, b) => a.queue.localeCompare(b.queue));
  }

  private looksDifferent(queue: string): boolean {
    const summary = this.shown.get(queue);
    const drawn = this.drawn.get(queue);
    // Listed but not drawn yet: it will be drawn from the model as it is now.
    if (!summary || drawn === undefined) return false;
    const childrenChanged = this.drawnChildren.has(queue) && this.drawnChildren.get(queue) !== this.childrenLook(queue);
    // The text says everything else the row shows: its icon, menu and twistie follow the dead count.
    return drawn.text !== describeQueue(summary) || childrenChanged;
  }

  private deadFlipped(queue: string): boolean {
    const summary = this.shown.get(queue);
    const drawn = this.drawn.get(queue);
    return summary !== undefined && drawn !== undefined && drawn.withDead !== summary.dead > 0;
  }

  private childrenLook(queue: string): string {
    const jobs = this.model.deadJobs(queue) ?? [];
    return `${jobs.map((job) => job.jobId).join('\n')}\n${this.notListed(queue, jobs)}`;
  }

  /** Dead jobs beyond the loaded page. Only a full page has more behind it: a count newer than the list is not "more". */
  private notListed(queue: string, jobs: Job[]): number {
    return jobs.length >= DEFAULTS.queueDeadCount ? Math.max(0, (this.shown.get(queue)?.dead ?? 0) - jobs.length) : 0;
  }
}

function queueItem(summary: QueueSummary): vscode.TreeItem {
  const hasDead = summary.dead > 0;
  const item = new vscode.TreeItem(summary.queue, hasDead ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `queue:${summary.queue}`;
  item.description = describeQueue(summary);
  item.iconPath = new vscode.ThemeIcon('inbox', hasDead ? new vscode.ThemeColor('errorForeground') : undefined);
  item.contextValue = hasDead ? 'queue.withDead' : 'queue';
  item.accessibilityInformation = { label: `${summary.queue}, ${item.description}` };
  return item;
}

function deadJobItem(job: Job): vscode.TreeItem {
  const item = new vscode.TreeItem(deadJobLabel(job));
  item.id = `job:${job.queue}:${job.jobId}`;
  item.description = describeDeadJob(job);
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  item.contextValue = 'queue.deadJob';
  item.accessibilityInformation = { label: `dead job ${job.jobId}: ${item.label as string}, ${item.description}` };
  return item;
}
