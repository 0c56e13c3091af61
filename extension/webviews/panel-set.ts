/**
 * The open panels of one webview kind, one per key (a request, a run, an agent; a kind with one
 * panel uses no key): showing a key reveals its panel or opens one, a panel VS Code kept from
 * before a window reload is adopted with the key its page saved (closed when it has none or its
 * key is open already; the serializer is registered when the set is made, during activation, as
 * VS Code needs), and closing a panel disposes its page host and forgets it. Each kind makes its
 * own host: what is the same for all of them lives here once.
 */
import * as vscode from 'vscode';
import { webviewOptions } from './webview-host';

/** What a kind keeps per panel: at least the panel and its page host. */
export interface OpenWebview {
  panel: vscode.WebviewPanel;
  host: vscode.Disposable;
}

export interface PanelSetOptions<Open extends OpenWebview> {
  viewType: string;
  extensionUri: vscode.Uri;
  /** The field of a page's saved state that names its key; absent for a kind with one panel. */
  stateKey?: string;
  /** Makes what a panel of the key holds: its page host, loading the page. */
  attach(panel: vscode.WebviewPanel, key: string): Open;
  /** After a panel of the key was closed (its host disposed). */
  closed?(key: string, open: Open): void;
  /** After a panel kept from before a window reload was adopted. */
  restored?(key: string, open: Open): void;
}

/** The key of a kind with one panel. */
const ONE = '';

export class PanelSet<Open extends OpenWebview> implements vscode.Disposable {
  private readonly open = new Map<string, Open>();
  private readonly serializer: vscode.Disposable;

  constructor(private readonly options: PanelSetOptions<Open>) {
    const { viewType, stateKey } = options;
    this.serializer = vscode.window.registerWebviewPanelSerializer(viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const key = stateKey === undefined ? ONE : (state as Record<string, unknown> | undefined)?.[stateKey];
        if (typeof key !== 'string' || (stateKey !== undefined && key === ONE) || this.open.has(key)) return panel.dispose();
        panel.webview.options = webviewOptions(options.extensionUri);
        const open = this.adopt(panel, key); // not inside `restored?.(…)`: its arguments are skipped when it is absent
        options.restored?.(key, open);
      },
    });
  }

  get(key = ONE): Open | undefined {
    return this.open.get(key);
  }

  entries(): IterableIterator<[string, Open]> {
    return this.open.entries();
  }

  /** Reveals the key's panel, or opens one titled so; undefined when it was open already. */
  show(title: string, key = ONE): Open | undefined {
    const open = this.open.get(key);
    if (open) {
      open.panel.reveal();
      return undefined;
    }
    const { viewType, extensionUri } = this.options;
    return this.adopt(vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, webviewOptions(extensionUri)), key);
  }

  dispose(): void {
    this.serializer.dispose();
    for (const { panel } of this.open.values()) panel.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, key: string): Open {
    panel.iconPath = vscode.Uri.joinPath(this.options.extensionUri, 'dist', 'media', 'switchboard.svg');
    const open = this.options.attach(panel, key);
    this.open.set(key, open);
    panel.onDidDispose(() => {
      open.host.dispose();
      this.open.delete(key);
      this.options.closed?.(key, open);
    });
    return open;
  }
}
