/** A flat view over part of the FleetStore, redrawn when that part changes. */
import * as vscode from 'vscode';
import type { FleetChange, FleetStore } from '../model/fleet-store';

export abstract class StoreListView<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  protected readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  /** While disconnected the view is empty (its welcome content shows instead of stale rows). */
  protected connected = false;

  constructor(
    protected readonly store: FleetStore,
    concerns: (change: FleetChange) => boolean,
  ) {
    this.subscription = store.onDidChange((change) => concerns(change) && this.changed.fire());
  }

  setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.changed.fire();
  }

  getChildren(element?: T): T[] {
    return this.connected && !element ? this.rows() : [];
  }

  /** The rows to show while connected. */
  protected abstract rows(): T[];
  abstract getTreeItem(element: T): vscode.TreeItem;

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
