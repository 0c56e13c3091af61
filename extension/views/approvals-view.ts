/** The Approvals view: pending requests with risk, requester, age and time left; click opens the approval webview. */
import * as vscode from 'vscode';
import type { Approval } from '../../protocol/types';
import { ageText } from '../../common/time-format';
import type { FleetStore } from '../model/fleet-store';
import { StoreListView } from './store-list-view';

const RISK_ICONS: Record<Approval['risk'], [string, string]> = {
  low: ['shield', 'charts.green'],
  medium: ['warning', 'editorWarning.foreground'],
  high: ['flame', 'errorForeground'],
};

export class ApprovalsView extends StoreListView<Approval> {
  /** Each row's description as last drawn: the list is redrawn only when one reads differently. */
  private readonly drawn = new Map<string, string>();

  constructor(store: FleetStore) {
    super(store, (change) => change.approvals);
  }

  /**
   * Ages and time left are relative: redraw them when they read differently (local clock, no
   * daemon call). Not on every tick: a redraw under the pointer can swallow a click on a row.
   */
  refreshTimes(): void {
    const now = Date.now();
    for (const requestId of this.drawn.keys()) if (!this.store.approvals.has(requestId)) this.drawn.delete(requestId);
    if (this.rows().some((approval) => this.drawn.get(approval.requestId) !== describe(approval, now))) this.changed.fire();
  }

  protected rows(): Approval[] {
    return [...this.store.approvals.values()].sort((a, b) => a.expiresAt - b.expiresAt);
  }

  getTreeItem(approval: Approval): vscode.TreeItem {
    const now = Date.now();
    const item = new vscode.TreeItem(`${approval.type} · ${approval.agentId}`, vscode.TreeItemCollapsibleState.None);
    item.id = `approval:${approval.requestId}`;
    item.description = describe(approval, now);
    this.drawn.set(approval.requestId, item.description);
    const [icon, color] = RISK_ICONS[approval.risk];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    // A high-risk request has no inline ✓: approving it starts from its details (docs/ux.md).
    item.contextValue = approval.risk === 'high' ? `approval.${approval.status}.high` : `approval.${approval.status}`;
    item.tooltip = new vscode.MarkdownString(`**${approval.type}** requested by **${approval.agentId}** (${approval.risk} risk)\n\n`).appendCodeblock(
      JSON.stringify(approval.context, null, 2),
      'json',
    );
    // No arguments: VS Code keeps a command's arguments with the row it was drawn for and drops them
    // on the next redraw, so a click on a row still on screen from before one ran nothing ("Actual
    // command not found"). Without arguments the command opens the view's selection, the row clicked.
    item.command = { command: 'switchboard.approval.open', title: 'Show Approval' };
    return item;
  }
}

/**
 * What decides urgency first: at the default sidebar width the end of the line is cut off. Seconds
 * left count (it is about to expire); an age in seconds would only redraw the row every tick.
 */
function describe(approval: Approval, now: number): string {
  const age = now - approval.requestedAt;
  return `${ageText(approval.expiresAt - now)} left · ${approval.risk} risk · asked ${age < 60_000 ? 'just now' : `${ageText(age)} ago`}`;
}
