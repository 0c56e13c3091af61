/**
 * The host side of a webview's message protocol: answers its requests with the given handlers.
 *
 * A webview's page is thrown away when its tab is hidden and built again when it is shown (and
 * after a window reload); each load says `ready`, and `onLoad` then sends the page everything it
 * shows. Between loads notify() drops what it is given, since the next load gets it all anyway:
 * no `retainContextWhenHidden` needed, and no page left blank.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isMessage, type Protocol } from '../../webview/shared/messages';

export type RequestHandlers<P extends Protocol> = {
  [M in keyof P['requests']]: (params: P['requests'][M][0]) => Promise<P['requests'][M][1]>;
};

/** A shown page that has not said `ready` by then is loaded again (see WebviewHost.load). */
export const PAGE_LOAD_TIMEOUT_MS = 5_000;
/** Loads of one showing at most: a page that keeps failing is left to the user. */
const MAX_LOADS_PER_SHOW = 3;

export class WebviewHost<P extends Protocol> implements vscode.Disposable {
  private loaded = false;
  private readonly subscription: vscode.Disposable;
  private readonly disposables: vscode.Disposable[] = [];
  /** Set while a shown page has not said `ready` yet. */
  private loadTimer?: NodeJS.Timeout;

  constructor(
    private readonly webview: vscode.Webview,
    handlers: RequestHandlers<P>,
    onLoad: () => void,
  ) {
    this.subscription = webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.kind === 'notification' && message.method === 'ready') {
        this.loaded = true;
        clearTimeout(this.loadTimer);
        return onLoad();
      }
      if (message.kind !== 'request') return;
      const handler = (handlers as Record<string, (params: unknown) => Promise<unknown>>)[message.method];
      try {
        if (!handler) throw new Error(`unknown request "${message.method}"`);
        await this.webview.postMessage({ kind: 'response', id: message.id, result: await handler(message.params) });
      } catch (error) {
        await this.webview.postMessage({ kind: 'response', id: message.id, error: (error as Error).message });
      }
    });
  }

  /**
   * Gives the panel its page, and gives it again when a shown page does not say `ready` within
   * PAGE_LOAD_TIMEOUT_MS: under load, code-server at times shows a webview whose page never runs
   * (seen in the real-host tests after a tab switch: the tab stayed blank for good), and a page
   * set anew loads in a new frame.
   */
  load(panel: vscode.WebviewPanel, html: () => string): void {
    const watch = (loadsLeft: number) => {
      clearTimeout(this.loadTimer);
      this.loadTimer = setTimeout(() => {
        if (!panel.visible || loadsLeft === 0) return;
        panel.webview.html = html();
        watch(loadsLeft - 1);
      }, PAGE_LOAD_TIMEOUT_MS);
    };
    panel.webview.html = html();
    watch(MAX_LOADS_PER_SHOW);
    // A hidden page is thrown away; shown again, it loads anew and is watched anew. (The event
    // also fires for focus and column changes of a visible panel, whose page stays.)
    let visible = panel.visible;
    this.disposables.push(
      panel.onDidChangeViewState(() => {
        if (panel.visible === visible) return;
        visible = panel.visible;
        if (visible) watch(MAX_LOADS_PER_SHOW);
        else clearTimeout(this.loadTimer);
      }),
    );
  }

  notify<M extends keyof P['toWebview'] & string>(method: M, params: P['toWebview'][M]): void {
    if (this.loaded) void this.webview.postMessage({ kind: 'notification', method, params });
  }

  dispose(): void {
    clearTimeout(this.loadTimer);
    this.subscription.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** Where built webview assets live; the only folder a webview may load from. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

/** Options of every Switchboard webview panel; its page keeps its own state (see WebviewHost). */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

/** The page of a webview app: nonce-locked scripts, theme colours only, codicons from the build folder. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, app: string, title: string): string {
  const root = webviewRoot(extensionUri);
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, `${app}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, `${app}.css`));
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codicons}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${style}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** Titles carry names agents chose (a workflow's name is free text): never markup in the page. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
