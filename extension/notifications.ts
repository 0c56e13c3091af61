/**
 * Notifications, in proportion (docs/ux.md): an approval request is the one thing that needs the
 * user, so it is a warning that names the request (type, agent and what it is about) and is
 * unique per request; a high-risk one offers Review… (the details) instead of Approve. An agent's
 * failure or expiry is an information message, once per agent per window (across window reloads),
 * the repeats counted.
 * An agent's error rate crossing its alert threshold needs a look: a warning naming agent and
 * rate, once per crossing; its recovery needs nothing, so it is logged and shown in the status bar.
 * Answers are confirmed in the status bar (confirm.ts), not with more toasts.
 */
import * as vscode from 'vscode';
import type { AgentStatus, Approval, OutcomeAlert } from '../protocol/types';
import { percentText, windowText } from '../common/outcome-format';
import { answerApproval } from './commands/approval-commands';
import type { LinkState } from './connection/daemon-connection';
import { confirmDone } from './confirm';
import type { ExtensionServices } from './context';
import type { FleetChange } from './model/fleet-store';
import { approvalSummary } from './model/approval-summary';
import { FAILURE_WINDOW_MS } from './model/told-window';
import { notificationsOn } from './settings';


/** Where the told failures are kept: a window reload starts a new extension host, and must not tell them again. */
const TOLD_KEY = 'switchboard.failuresTold';

interface Told {
  toldAt: number;
  count: number;
}

export class FleetNotifier {
  /** Texts of approval notifications still open: VS Code merges identical ones into one toast. */
  private readonly openTexts = new Set<string>();
  /** Per agent: when its failure was last told, and how many came since that window opened. */
  private readonly failures: Map<string, Told>;
  /** Agents whose failure-rate alert is on: a second raise without a recovery between (another daemon's, a replay) is not told again. */
  private readonly alerting = new Set<string>();

  constructor(
    private readonly services: ExtensionServices,
    private readonly revealAgent: (agentId: string) => void,
    private readonly showAgent: (agentName: string) => void,
  ) {
    this.failures = new Map(Object.entries(services.extension.workspaceState.get<Record<string, Told>>(TOLD_KEY, {})));
  }

  onChange(change: FleetChange): void {
    if (notificationsOn('approvals')) for (const approval of change.newApprovals) void this.approval(approval);
    for (const agent of change.endedBadly) {
      if (notificationsOn(agent.status === 'expired' ? 'agentExpired' : 'agentFailed')) this.endedBadly(agent);
    }
    for (const { type, alert } of change.alerts) {
      if (type === 'alert.failure_rate') this.failureRate(alert);
      else this.recovered(alert);
    }
  }

  private failureRate(alert: OutcomeAlert): void {
    const rate = `${percentText(alert.errorRate)} of its outcomes failed or timed out in the last ${windowText(alert.windowSeconds)}`;
    const detail = `${alert.errors} of ${alert.count}; alert at ${percentText(alert.threshold)}`;
    this.services.log.warn(`${alert.agentName}: ${rate} (${detail})`);
    if (this.alerting.has(alert.agentName)) return;
    this.alerting.add(alert.agentName);
    if (!notificationsOn('failureAlerts')) return;
    void vscode.window
      .showWarningMessage(`Switchboard: ${alert.agentName}: ${rate} (${detail}).`, 'Show Agent')
      .then((choice) => choice && this.showAgent(alert.agentName));
  }

  private recovered(alert: OutcomeAlert): void {
    this.alerting.delete(alert.agentName);
    confirmDone(this.services, `${alert.agentName} recovered: ${percentText(alert.errorRate)} errors in the last ${windowText(alert.windowSeconds)}`, `${alert.errors} of ${alert.count}`);
  }

  private async approval(approval: Approval): Promise<void> {
    const summary = approvalSummary(approval, this.services.store.agents.get(approval.agentId)?.currentTask ?? undefined);
    let text = `Switchboard: ${approval.agentId} asks to "${approval.type}" (${approval.risk} risk)${summary ? ` — ${summary}` : ''}`;
    if (this.openTexts.has(text)) text += ` · request ${approval.requestId.slice(0, 8)}`;
    this.openTexts.add(text);
    // A question's Answer… prompts for the answer (its choices, or a text box) before it is sent.
    const approve = approval.choices !== undefined || approval.answerSchema !== undefined ? 'Answer…' : 'Approve';
    const actions = approval.risk === 'high' ? ['Review…', 'Reject'] : [approve, 'Reject', 'Details'];
    try {
      const choice = await vscode.window.showWarningMessage(text, ...actions);
      if (choice === approve) await answerApproval(this.services, true, { requestId: approval.requestId, reason: '' });
      else if (choice === 'Reject') await answerApproval(this.services, false, { requestId: approval.requestId });
      else if (choice === 'Details' || choice === 'Review…') this.services.showApproval(approval);
    } finally {
      this.openTexts.delete(text);
    }
  }

  private endedBadly(agent: AgentStatus): void {
    const now = Date.now();
    const seen = this.failures.get(agent.agentId);
    if (seen && now - seen.toldAt < FAILURE_WINDOW_MS) {
      seen.count++;
      this.remember(now);
      this.services.log.warn(`${agent.agentId} ${agent.status} again (${seen.count} times in ${FAILURE_WINDOW_MS / 60_000} min)`);
      return;
    }
    const again = seen ? ` (${seen.count} times in the last ${FAILURE_WINDOW_MS / 60_000} min)` : '';
    this.failures.set(agent.agentId, { toldAt: now, count: 1 });
    this.remember(now);
    const message =
      agent.status === 'expired'
        ? `Switchboard: ${agent.agentId} stopped beating and expired${agent.currentTask ? ` (was: ${agent.currentTask})` : ''}.`
        : `Switchboard: ${agent.agentId} failed${agent.currentTask ? ` during "${agent.currentTask}"` : ''}${again}.`;
    this.services.log.warn(message.replace(/^Switchboard: /, ''));
    void vscode.window.showInformationMessage(message, 'Show').then((choice) => choice && this.revealAgent(agent.agentId));
  }

  /** Saves the told failures whose window is still open (older ones would only be told anew). */
  private remember(now: number): void {
    const open = [...this.failures].filter(([, told]) => now - told.toldAt < FAILURE_WINDOW_MS);
    void this.services.extension.workspaceState.update(TOLD_KEY, Object.fromEntries(open));
  }
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
