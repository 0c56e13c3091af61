/** Hosts the signal composer and inspector (one panel). */
import * as vscode from 'vscode';
import type { ComposerAgent, SignalComposerProtocol } from '../../webview/signal-composer/protocol';
import { COMMON_SIGNAL_TYPES, EDITOR_SENDER } from '../commands/signal-commands';
import type { ExtensionServices } from '../context';
import { WebviewHost, webviewHtml, webviewRoot } from './webview-host';

export class SignalComposerPanel implements vscode.Disposable {
  private open?: { panel: vscode.WebviewPanel; host: WebviewHost<SignalComposerProtocol> };
  private readonly subscription: { dispose(): void };

  constructor(private readonly services: ExtensionServices) {
    this.subscription = services.store.onDidChange((change) => {
      if (this.open && change.agents !== 'all' && change.agents.size === 0) return;
      void this.open?.host.notify('agents', { agents: this.agents() });
    });
  }

  show(target?: string): void {
    if (this.open) {
      this.open.panel.reveal();
      void this.open.host.notify('init', { agents: this.agents(), types: COMMON_SIGNAL_TYPES, target });
      return;
    }
    const { extension } = this.services;
    const panel = vscode.window.createWebviewPanel('switchboard.signalComposer', 'Send Signal', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [webviewRoot(extension.extensionUri)],
    });
    panel.iconPath = vscode.Uri.joinPath(extension.extensionUri, 'dist', 'media', 'switchboard.svg');
    const host = new WebviewHost<SignalComposerProtocol>(panel.webview, {
      send: async ({ to, type, payload, ttlSeconds }) => {
        const client = this.services.client();
        const params = { from: EDITOR_SENDER, type, payload: payload.trim() === '' ? undefined : (JSON.parse(payload) as unknown), ttlSeconds };
        return to === '*' ? client.signals.broadcast(params) : client.signals.send({ ...params, to });
      },
      pending: ({ agentId }) => this.services.client().signals.pending({ agentId }),
    });
    panel.webview.html = webviewHtml(panel.webview, extension.extensionUri, 'signal-composer', 'Send Signal');
    this.open = { panel, host };
    panel.onDidDispose(() => {
      host.dispose();
      this.open = undefined;
    });
    void host.notify('init', { agents: this.agents(), types: COMMON_SIGNAL_TYPES, target });
  }

  private agents(): ComposerAgent[] {
    return [...this.services.store.agents.values()]
      .filter((a) => a.alive)
      .sort((a, b) => a.agentId.localeCompare(b.agentId))
      .map((a) => ({ agentId: a.agentId, status: a.status }));
  }

  dispose(): void {
    this.subscription.dispose();
    this.open?.panel.dispose();
  }
}
