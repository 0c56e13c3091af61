/** Hosts the signal composer and inspector (one panel), restored after a window reload. */
import * as vscode from 'vscode';
import { RpcError } from '../../protocol/errors';
import type { ComposerAgent, SignalComposerProtocol } from '../../webview/signal-composer/protocol';
import { COMMON_SIGNAL_TYPES, EDITOR_SENDER } from '../commands/signal-commands';
import { confirmDone } from '../confirm';
import type { ExtensionServices } from '../context';
import { PanelSet } from './panel-set';
import { WebviewHost, webviewHtml } from './webview-host';

export const COMPOSER_VIEW_TYPE = 'switchboard.signalComposer';

/** The form's fields as the user reads them, for errors the daemon names by param. */
const FIELD_LABELS: Record<string, string> = { to: 'To', type: 'Type', payload: 'Payload', ttlSeconds: 'Expires after' };

const TITLE = 'Send Signal';

export class SignalComposerPanel implements vscode.Disposable {
  /** One panel; one restored after a window reload restores its own form. */
  private readonly panels: PanelSet<{ panel: vscode.WebviewPanel; host: WebviewHost<SignalComposerProtocol> }>;
  /** The agent list last sent, so that beats (which change no id or status) send nothing. */
  private sentAgents = '';
  /** A recipient asked for by a command, for the page's next load. */
  private requestedTarget?: string;
  private readonly subscription: { dispose(): void };

  constructor(private readonly services: ExtensionServices) {
    this.panels = new PanelSet({ viewType: COMPOSER_VIEW_TYPE, extensionUri: services.extension.extensionUri, attach: (panel) => this.attach(panel) });
    this.subscription = services.store.onDidChange((change) => {
      if (change.agents === 'all' || change.agents.size > 0) this.sendAgents();
    });
  }

  show(target?: string): void {
    this.requestedTarget = target;
    const open = this.panels.get();
    if (open?.panel.visible && target) {
      open.host.notify('init', this.snapshot());
      this.requestedTarget = undefined;
    }
    this.panels.show(TITLE);
  }

  private attach(panel: vscode.WebviewPanel): { panel: vscode.WebviewPanel; host: WebviewHost<SignalComposerProtocol> } {
    const { extension } = this.services;
    const host = new WebviewHost<SignalComposerProtocol>(
      panel.webview,
      {
        send: async ({ to, type, payload, ttlSeconds }) => {
          const client = this.services.client();
          const params = { from: EDITOR_SENDER, type, payload: payload.trim() === '' ? undefined : (JSON.parse(payload) as unknown), ttlSeconds };
          try {
            const signal = to === '*' ? await client.signals.broadcast(params) : await client.signals.send({ ...params, to });
            confirmDone(this.services, `sent "${type}" to ${to === '*' ? 'every agent' : to}`, 'from the composer');
            return signal;
          } catch (error) {
            throw readable(error);
          }
        },
        pending: ({ agentId }) => this.services.client().signals.pending({ agentId }),
      },
      () => {
        this.sentAgents = '';
        host.notify('init', this.snapshot());
        this.requestedTarget = undefined;
      },
    );
    host.load(panel, () => webviewHtml(panel.webview, extension.extensionUri, 'signal-composer', TITLE));
    return { panel, host };
  }

  private snapshot(): SignalComposerProtocol['toWebview']['init'] {
    const agents = this.agents();
    this.sentAgents = JSON.stringify(agents);
    return { agents, types: COMMON_SIGNAL_TYPES, target: this.requestedTarget };
  }

  private sendAgents(): void {
    const open = this.panels.get();
    if (!open) return;
    const agents = this.agents();
    const key = JSON.stringify(agents);
    if (key === this.sentAgents) return;
    this.sentAgents = key;
    open.host.notify('agents', { agents });
  }

  private agents(): ComposerAgent[] {
    return [...this.services.store.agents.values()]
      .filter((a) => a.alive)
      .sort((a, b) => a.agentId.localeCompare(b.agentId))
      .map((a) => ({ agentId: a.agentId, status: a.status }));
  }

  dispose(): void {
    this.subscription.dispose();
    this.panels.dispose();
  }
}

/** The daemon's refusal in the form's words: "To: …" rather than `invalid params: to must …`. */
function readable(error: unknown): Error {
  if (!(error instanceof RpcError)) return error as Error;
  const field = (error.data as { field?: string } | undefined)?.field;
  const label = field && FIELD_LABELS[field];
  if (!label) return new Error(error.message);
  return new Error(`${label}: ${error.message.replace(/^invalid params: /, '').replace(new RegExp(`^${field} `), '')}`);
}
