/** The Events view: published events, newest first, filterable by type. */
import * as vscode from 'vscode';
import type { StreamEvent } from '../../protocol/types';
import type { FleetStore } from '../model/fleet-store';
import { StoreListView } from './store-list-view';

const SHOWN = 200;

export class EventsView extends StoreListView<StreamEvent> {
  type?: string;
  /** The tree view showing this provider (its description shows the filter). */
  view?: vscode.TreeView<StreamEvent>;

  constructor(store: FleetStore) {
    super(store, (change) => change.events);
  }

  setType(type: string | undefined): void {
    this.type = type;
    if (this.view) this.view.description = type ? `type ${type}` : undefined;
    this.changed.fire();
  }

  types(): string[] {
    return [...new Set(this.store.events.map((e) => e.type))].sort();
  }

  protected rows(): StreamEvent[] {
    const events = this.type ? this.store.events.filter((e) => e.type === this.type) : this.store.events;
    return events.slice(-SHOWN).reverse();
  }

  getTreeItem(event: StreamEvent): vscode.TreeItem {
    const item = new vscode.TreeItem(event.type);
    item.id = `event:${event.type}:${event.id}`;
    const data = JSON.stringify(event.data);
    item.description = `${new Date(event.ts).toLocaleTimeString()} · ${data.length > 80 ? `${data.slice(0, 79)}…` : data}`;
    item.iconPath = new vscode.ThemeIcon('symbol-event');
    item.contextValue = 'event';
    item.tooltip = new vscode.MarkdownString(`**${event.type}** ${event.id}\n\n`).appendCodeblock(JSON.stringify(event.data, null, 2), 'json');
    return item;
  }
}
