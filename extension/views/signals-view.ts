/** The Signals view: signals seen since connecting, pending first, filterable by agent and type. */
import * as vscode from 'vscode';
import { ageText } from '../../common/time-format';
import type { FleetStore, SignalRow } from '../model/fleet-store';
import { StoreListView } from './store-list-view';

export interface SignalFilter {
  agentId?: string;
  type?: string;
}

export class SignalsView extends StoreListView<SignalRow> {
  filter: SignalFilter = {};
  /** The tree view showing this provider (its description shows the filter). */
  view?: vscode.TreeView<SignalRow>;

  constructor(store: FleetStore) {
    super(store, (change) => change.signals);
  }

  setFilter(filter: SignalFilter): void {
    this.filter = filter;
    const parts = [filter.agentId && `agent ${filter.agentId}`, filter.type && `type ${filter.type}`].filter(Boolean);
    if (this.view) this.view.description = parts.length ? `filtered: ${parts.join(', ')}` : undefined;
    this.changed.fire();
  }

  protected rows(): SignalRow[] {
    const { agentId, type } = this.filter;
    const now = Date.now();
    return [...this.store.signals.values()]
      .filter((row) => row.consumedBy || row.signal.expiresAt > now)
      .filter((row) => !agentId || row.signal.target === agentId || row.signal.source === agentId || row.consumedBy === agentId || row.signal.target === '*')
      .filter((row) => !type || row.signal.type === type)
      .sort((a, b) => Number(!!a.consumedBy) - Number(!!b.consumedBy) || b.signal.sentAt - a.signal.sentAt);
  }

  getTreeItem(row: SignalRow): vscode.TreeItem {
    const { signal } = row;
    const item = new vscode.TreeItem(`${signal.type}  ${signal.source} → ${signal.target === '*' ? 'everyone' : signal.target}`);
    item.id = `signal:${signal.signalId}`;
    item.description = row.consumedBy
      ? `taken by ${row.consumedBy}`
      : `pending · ${ageText(Date.now() - signal.sentAt)} ago`;
    item.iconPath = new vscode.ThemeIcon(row.consumedBy ? 'mail-read' : signal.target === '*' ? 'broadcast' : 'mail');
    item.contextValue = row.consumedBy ? 'signal.consumed' : 'signal.pending';
    item.tooltip = new vscode.MarkdownString(`**${signal.type}** ${signal.signalId}\n\n`).appendCodeblock(JSON.stringify(signal.payload, null, 2), 'json');
    return item;
  }
}
