/** A flat view over part of the FleetStore, redrawn when that part changes. */
import * as vscode from 'vscode';
import type { FleetChange, FleetStore } from '../model/fleet-store';

export abstract class StoreListView<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  protected readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(
    protected readonly store: FleetStore,
    concerns: (change: FleetChange) => boolean,
  ) {
    this.subscription = store.onDidChange((change) => concerns(change) && this.changed.fire());
  }

  abstract getChildren(element?: T): T[];
  abstract getTreeItem(element: T): vscode.TreeItem;

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
