/**
 * The Coordination view: a row per lock held (holder, fencing token, time left), per semaphore
 * with permits held (used of its limit, its holders under it with their time left) and per
 * barrier with parties waiting (arrived of parties). A row is redrawn only when what it shows
 * changes: a push, or the lease's time left moving on to its next step (refreshTimes, from the
 * local clock). Tooltips are built on hover.
 */
import * as vscode from 'vscode';
import {
  barrierTooltip,
  describeBarrier,
  describeHolder,
  describeLock,
  describeSemaphore,
  holderTooltip,
  lockTooltip,
  semaphoreTooltip,
} from './coordination-display';
import type { CoordinationModel, RowKey } from './coordination-model';

export type CoordinationNode =
  | { kind: 'lock' | 'semaphore' | 'barrier'; key: RowKey; name: string }
  | { kind: 'holder'; semaphore: string; permitId: string };

type RowNode = Extract<CoordinationNode, { key: RowKey }>;

export class CoordinationView implements vscode.TreeDataProvider<CoordinationNode>, vscode.Disposable {
  private connected = false;
  private readonly changed = new vscode.EventEmitter<CoordinationNode | CoordinationNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One node per row, kept: VS Code refreshes elements by identity. */
  private readonly nodes = new Map<RowKey, RowNode>();
  /** Each row as last drawn, to redraw only rows whose look changed. */
  private readonly drawn = new Map<RowKey, string>();
  /** The rows last listed: another set needs the whole list redrawn. */
  private listed = new Set<RowKey>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly model: CoordinationModel) {
    this.subscription = model.onDidChange((change) => {
      const rows = this.rowKeys();
      const sameList = rows.length === this.listed.size && rows.every((key) => this.listed.has(key));
      if (!sameList) return this.changed.fire(undefined);
      const candidates = change.rows === 'all' ? rows : [...change.rows];
      this.redraw(candidates);
    });
  }

  setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    // Connected, the rows come with the snapshot the feed loads now.
    if (!connected) this.changed.fire(undefined);
  }

  /** Time passing moves the leases' time left on: redraws the rows whose text it changed (no daemon call). */
  refreshTimes(): void {
    this.redraw([...this.drawn.keys()]);
  }

  /** Whether any row shows a lease's time left (the caller runs the clock only then). */
  hasLeases(): boolean {
    return this.model.locks.size > 0 || this.model.semaphores.size > 0;
  }

  getChildren(element?: CoordinationNode): CoordinationNode[] {
    if (!this.connected) return [];
    if (!element) {
      const rows = this.rowKeys();
      this.listed = new Set(rows);
      return rows.map((key) => this.node(key));
    }
    if (element.kind !== 'semaphore') return [];
    const holders = this.model.semaphore(element.name)?.holders ?? [];
    return holders.map((holder) => ({ kind: 'holder', semaphore: element.name, permitId: holder.permitId }));
  }

  getParent(element: CoordinationNode): CoordinationNode | undefined {
    return element.kind === 'holder' ? this.node(`semaphore:${element.semaphore}`) : undefined;
  }

  getTreeItem(node: CoordinationNode): vscode.TreeItem {
    if (node.kind === 'holder') return this.holderItem(node.semaphore, node.permitId);
    const look = this.lookOf(node.key);
    // A row asked for just as a snapshot replaced the list: a look no row has, so the next change redraws it.
    this.drawn.set(node.key, look ?? '');
    if (look === undefined) return new vscode.TreeItem(node.name);
    if (node.kind === 'lock') {
      const lock = this.model.locks.get(node.name)!;
      return row(node, 'lock', describeLock(lock), `lock ${node.name}, held by`);
    }
    if (node.kind === 'semaphore') {
      const semaphore = this.model.semaphore(node.name)!;
      return row(node, 'server-process', describeSemaphore(semaphore), `semaphore ${node.name},`, vscode.TreeItemCollapsibleState.Expanded);
    }
    return row(node, 'milestone', describeBarrier(this.model.barriers.get(node.name)!), `barrier ${node.name},`);
  }

  resolveTreeItem(item: vscode.TreeItem, node: CoordinationNode): vscode.TreeItem {
    const markdown = this.tooltipOf(node);
    if (markdown) item.tooltip = new vscode.MarkdownString(markdown);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private node(key: RowKey): RowNode {
    let node = this.nodes.get(key);
    if (!node) {
      const [kind, ...rest] = key.split(':') as [RowNode['kind'], ...string[]];
      this.nodes.set(key, (node = { kind, key, name: rest.join(':') }));
    }
    return node;
  }

  /** Locks, then semaphores, then barriers, each by name. */
  private rowKeys(): RowKey[] {
    const byName = (names: Iterable<string>) => [...names].sort((a, b) => a.localeCompare(b));
    return [
      ...byName(this.model.locks.keys()).map((name): RowKey => `lock:${name}`),
      ...byName(this.model.semaphores.keys()).map((name): RowKey => `semaphore:${name}`),
      ...byName(this.model.barriers.keys()).map((name): RowKey => `barrier:${name}`),
    ];
  }

  /** What a row shows, its children included; undefined when the model has no such row now. */
  private lookOf(key: RowKey): string | undefined {
    const { kind, name } = this.node(key);
    const now = Date.now();
    if (kind === 'lock') {
      const lock = this.model.locks.get(name);
      return lock && describeLock(lock, now);
    }
    if (kind === 'barrier') {
      const barrier = this.model.barriers.get(name);
      return barrier && describeBarrier(barrier);
    }
    const semaphore = this.model.semaphore(name);
    return semaphore && [describeSemaphore(semaphore), ...semaphore.holders.map((h) => `${h.permitId} ${h.owner} ${describeHolder(h, now)}`)].join('\n');
  }

  private redraw(keys: RowKey[]): void {
    const stale = keys.filter((key) => this.drawn.has(key) && this.drawn.get(key) !== this.lookOf(key)).map((key) => this.node(key));
    if (stale.length > 0) this.changed.fire(stale);
  }

  private holderItem(semaphore: string, permitId: string): vscode.TreeItem {
    const holder = this.model.semaphores.get(semaphore)?.holders.get(permitId);
    if (!holder) return new vscode.TreeItem(permitId);
    const item = new vscode.TreeItem(holder.owner);
    item.id = `permit:${semaphore}:${permitId}`;
    item.description = describeHolder(holder);
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = 'coordination.permit';
    item.accessibilityInformation = { label: `permit of ${semaphore} held by ${holder.owner}, ${item.description}` };
    return item;
  }

  private tooltipOf(node: CoordinationNode): string | undefined {
    if (node.kind === 'holder') {
      const holder = this.model.semaphores.get(node.semaphore)?.holders.get(node.permitId);
      return holder && holderTooltip(node.semaphore, holder);
    }
    if (node.kind === 'lock') {
      const lock = this.model.locks.get(node.name);
      return lock && lockTooltip(lock);
    }
    if (node.kind === 'semaphore') {
      const semaphore = this.model.semaphore(node.name);
      return semaphore && semaphoreTooltip(semaphore);
    }
    const barrier = this.model.barriers.get(node.name);
    return barrier && barrierTooltip(barrier);
  }
}

function row(node: RowNode, icon: string, description: string, spoken: string, state = vscode.TreeItemCollapsibleState.None): vscode.TreeItem {
  const item = new vscode.TreeItem(node.name, state);
  item.id = node.key;
  item.description = description;
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = `coordination.${node.kind}`;
  item.accessibilityInformation = { label: `${spoken} ${description}` };
  return item;
}
