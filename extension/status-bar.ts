/** The status-bar health item: agent count, stale agents, pending approvals; offline when disconnected. */
import * as vscode from 'vscode';
import type { LinkState } from './connection/daemon-connection';
import type { FleetStore } from './model/fleet-store';
import { staleThresholdSeconds } from './settings';
import { summarize } from './status-bar-summary';

export class StatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('switchboard.health', vscode.StatusBarAlignment.Left, 50);

  constructor(
    private readonly store: FleetStore,
    private readonly state: () => { state: LinkState; lastError?: string; where(): string },
  ) {
    this.item.name = 'Switchboard';
    this.item.command = 'switchboard.statusBarMenu';
    this.update();
    this.item.show();
  }

  update(): void {
    const link = this.state();
    const summary = summarize(link.state, this.store, staleThresholdSeconds(), link.lastError, link.where());
    this.item.text = summary.text;
    this.item.tooltip = new vscode.MarkdownString(summary.tooltip, true);
    this.item.backgroundColor = summary.background ? new vscode.ThemeColor(`statusBarItem.${summary.background}Background`) : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** The quick pick behind a click on the item. */
export async function showStatusMenu(state: LinkState): Promise<void> {
  const connected = state === 'connected';
  const actions = [
    ...(connected
      ? [
          { label: '$(organization) Show Agents', command: 'switchboard.agents.focus' },
          { label: '$(check) Approve Pending Request…', command: 'switchboard.approve' },
          { label: '$(close) Reject Pending Request…', command: 'switchboard.reject' },
          { label: '$(send) Send Signal…', command: 'switchboard.sendSignal' },
          { label: '$(broadcast) Broadcast Signal…', command: 'switchboard.broadcastSignal' },
        ]
      : [{ label: '$(play) Start Daemon', command: 'switchboard.startDaemon' }]),
    { label: '$(plug) Reconnect', command: 'switchboard.reconnect' },
    { label: '$(output) Show Log', command: 'switchboard.showLog' },
  ];
  const picked = await vscode.window.showQuickPick(actions, { title: 'Switchboard' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
