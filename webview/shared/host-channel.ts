/** The webview side of the message protocol: typed requests to the host and notifications both ways. */
import { isMessage, type Protocol } from './messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * `S` is what the page keeps across being hidden and a window reload (VS Code's webview state):
 * what the user is editing. What the host knows comes again from the host when the page loads.
 */
export class HostChannel<P extends Protocol, S extends object = Record<string, never>> {
  private readonly vscode = acquireVsCodeApi();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly handlers = new Map<string, (params: unknown) => void>();

  constructor() {
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  on<M extends keyof P['toWebview'] & string>(method: M, handler: (params: P['toWebview'][M]) => void): void {
    this.handlers.set(method, handler as (params: unknown) => void);
  }

  request<M extends keyof P['requests'] & string>(method: M, params: P['requests'][M][0]): Promise<P['requests'][M][1]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.vscode.postMessage({ kind: 'request', id, method, params });
    });
  }

  /** The page's saved state from before it was hidden or the window reloaded, if any. */
  savedState(): Partial<S> {
    return (this.vscode.getState() as Partial<S> | undefined) ?? {};
  }

  saveState(state: S): void {
    this.vscode.setState(state);
  }

  notify<M extends keyof P['toHost'] & string>(method: M, params: P['toHost'][M]): void {
    this.vscode.postMessage({ kind: 'notification', method, params });
  }

  private receive(data: unknown): void {
    if (!isMessage(data)) return;
    if (data.kind === 'notification') this.handlers.get(data.method)?.(data.params);
    else if (data.kind === 'response') {
      const pending = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.error !== undefined) pending?.reject(new Error(data.error));
      else pending?.resolve(data.result);
    }
  }
}
