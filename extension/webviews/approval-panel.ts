/** Hosts the approval webview: one panel per request, kept in step with answers given anywhere. */
import * as vscode from 'vscode';
import type { Approval } from '../../protocol/types';
import type { ApprovalProtocol } from '../../webview/approval/protocol';
import type { ExtensionServices } from '../context';
import { responderName } from '../settings';
import { WebviewHost, webviewHtml, webviewRoot } from './webview-host';

export class ApprovalPanels implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; host: WebviewHost<ApprovalProtocol> }>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly services: ExtensionServices) {
    // A request that leaves the pending set was answered (or expired) somewhere: show the verdict.
    this.subscription = services.store.onDidChange((change) => {
      if (!change.approvals) return;
      for (const requestId of this.panels.keys()) if (!services.store.approvals.has(requestId)) void this.showVerdict(requestId);
    });
  }

  show(approval: Approval): void {
    const open = this.panels.get(approval.requestId);
    if (open) return open.panel.reveal();
    const { extension } = this.services;
    const panel = vscode.window.createWebviewPanel('switchboard.approval', `Approve: ${approval.type}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [webviewRoot(extension.extensionUri)],
    });
    panel.iconPath = vscode.Uri.joinPath(extension.extensionUri, 'dist', 'media', 'switchboard.svg');
    const host = new WebviewHost<ApprovalProtocol>(panel.webview, {
      respond: ({ approved, reason }) =>
        this.services.client().approvals.respond({ requestId: approval.requestId, approved, responder: responderName(), reason: reason || undefined }),
    });
    panel.webview.html = webviewHtml(panel.webview, extension.extensionUri, 'approval', `Approve: ${approval.type}`);
    this.panels.set(approval.requestId, { panel, host });
    panel.onDidDispose(() => {
      host.dispose();
      this.panels.delete(approval.requestId);
    });
    void host.notify('show', { approval, now: Date.now() });
    if (!this.services.store.approvals.has(approval.requestId)) void this.showVerdict(approval.requestId);
  }

  private async showVerdict(requestId: string): Promise<void> {
    const open = this.panels.get(requestId);
    const approval = await this.services.client().approvals.get({ requestId });
    if (open && approval && approval.status !== 'pending') await open.host.notify('decided', { approval });
  }

  dispose(): void {
    this.subscription.dispose();
    for (const { panel } of this.panels.values()) panel.dispose();
  }
}
