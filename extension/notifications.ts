/** Notifications: a new approval (Approve / Reject / Details), an agent that failed or expired (Show); one per change of connection state. */
import * as vscode from 'vscode';
import type { AgentStatus, Approval } from '../protocol/types';
import { answerApproval } from './commands/approval-commands';
import type { LinkState } from './connection/daemon-connection';
import type { ExtensionServices } from './context';
import type { FleetChange } from './model/fleet-store';
import { notificationsOn } from './settings';

export function notifyChange(services: ExtensionServices, change: FleetChange, revealAgent: (agentId: string) => void): void {
  if (notificationsOn('approvals')) for (const approval of change.newApprovals) void notifyApproval(services, approval);
  for (const agent of change.endedBadly) {
    const kind = agent.status === 'expired' ? 'agentExpired' : 'agentFailed';
    if (!notificationsOn(kind)) continue;
    void notifyEnded(agent).then((show) => show && revealAgent(agent.agentId));
  }
}

async function notifyApproval(services: ExtensionServices, approval: Approval): Promise<void> {
  const show = approval.risk === 'high' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(`Switchboard: ${approval.agentId} asks to "${approval.type}" (${approval.risk} risk).`, 'Approve', 'Reject', 'Details');
  if (choice === 'Approve') await answerApproval(services, true, { requestId: approval.requestId, reason: '' });
  else if (choice === 'Reject') await answerApproval(services, false, { requestId: approval.requestId });
  else if (choice === 'Details') services.showApproval(approval);
}

async function notifyEnded(agent: AgentStatus): Promise<boolean> {
  const message =
    agent.status === 'expired'
      ? `Switchboard: ${agent.agentId} stopped beating and expired${agent.currentTask ? ` (was: ${agent.currentTask})` : ''}.`
      : `Switchboard: ${agent.agentId} failed${agent.currentTask ? ` during "${agent.currentTask}"` : ''}.`;
  return (await vscode.window.showWarningMessage(message, 'Show')) === 'Show';
}

/** Says so once when the link drops or comes back (not on each retry, not on the first connect). */
export class ConnectionNotifier {
  private wasConnected = false;
  private everConnected = false;

  onState(state: LinkState): void {
    if (state === 'connected') {
      if (this.wasConnected === false && this.everConnected) void vscode.window.showInformationMessage('Switchboard: reconnected to the daemon.');
      this.wasConnected = this.everConnected = true;
    } else if (state === 'disconnected' && this.wasConnected) {
      this.wasConnected = false;
      void vscode.window.showWarningMessage('Switchboard: lost the daemon; reconnecting in the background.', 'Show Log').then(
        (choice) => choice && vscode.commands.executeCommand('switchboard.showLog'),
      );
    }
  }
}
