/**
 * Hosts the approval webview: one panel per request, titled "<type> · <agent>" and then with its
 * outcome, kept in step with answers given anywhere, and restored after a window reload.
 */
import * as vscode from 'vscode';
import { approvalTitle } from '../../protocol/approval-title';
import type { Approval } from '../../protocol/types';
import type { ApprovalProtocol } from '../../webview/approval/protocol';
import type { ExtensionServices } from '../context';
import { confirmDone } from '../confirm';
import { responderName } from '../settings';
import { PanelSet } from './panel-set';
import { WebviewHost, webviewHtml } from './webview-host';

export const APPROVAL_VIEW_TYPE = 'switchboard.approval';

interface OpenPanel {
  panel: vscode.WebviewPanel;
  host: WebviewHost<ApprovalProtocol>;
  /** The request as last known; every load of the page shows it. */
  approval?: Approval;
}

export class ApprovalPanels implements vscode.Disposable {
  private readonly panels: PanelSet<OpenPanel>;
  private readonly subscription: { dispose(): void };

  constructor(private readonly services: ExtensionServices) {
    this.panels = new PanelSet<OpenPanel>({
      viewType: APPROVAL_VIEW_TYPE,
      extensionUri: services.extension.extensionUri,
      stateKey: 'requestId',
      attach: (panel, requestId) => this.attach(panel, requestId),
      // The request is read again once connected.
      restored: (requestId) => void this.refresh(requestId),
    });
    // A request that leaves the pending set was answered (or expired) somewhere: show the verdict.
    this.subscription = services.store.onDidChange((change) => {
      if (!change.approvals) return;
      for (const [requestId, open] of this.panels.entries()) if (open.approval?.status === 'pending' && !services.store.approvals.has(requestId)) void this.refresh(requestId);
    });
  }

  show(approval: Approval): void {
    const opened = this.panels.show(approvalTitle(approval), approval.requestId);
    if (!opened) return;
    opened.approval = approval;
    if (!this.services.store.approvals.has(approval.requestId)) void this.refresh(approval.requestId);
  }

  private attach(panel: vscode.WebviewPanel, requestId: string): OpenPanel {
    const { extension } = this.services;
    const approval = this.services.store.approvals.get(requestId);
    const open: OpenPanel = {
      panel,
      approval,
      host: new WebviewHost<ApprovalProtocol>(
        panel.webview,
        {
          respond: async ({ approved, reason, answer }) => {
            const decided = await this.services.client().approvals.respond({ requestId, approved, responder: responderName(), reason: reason || undefined, answer });
            confirmDone(this.services, `${decided.status} "${decided.type}" for ${decided.agentId}`, `request ${requestId}, in its panel`);
            this.update(requestId, decided);
            return decided;
          },
        },
        () => open.approval && open.host.notify('show', { approval: open.approval, now: Date.now() }),
      ),
    };
    open.host.load(panel, () => webviewHtml(panel.webview, extension.extensionUri, 'approval', open.approval ? approvalTitle(open.approval) : 'Approval'));
    return open;
  }

  /** Reads the request from the daemon (once connected) and shows what it says now. */
  private async refresh(requestId: string): Promise<void> {
    await this.services.connection.connected();
    const approval = await this.services.client().approvals.get({ requestId });
    if (approval) this.update(requestId, approval);
  }

  private update(requestId: string, approval: Approval): void {
    const open = this.panels.get(requestId);
    if (!open) return;
    const first = open.approval === undefined;
    open.approval = approval;
    open.panel.title = approvalTitle(approval);
    if (first) open.host.notify('show', { approval, now: Date.now() });
    else if (approval.status !== 'pending') open.host.notify('decided', { approval });
  }

  dispose(): void {
    this.subscription.dispose();
    this.panels.dispose();
  }
}
