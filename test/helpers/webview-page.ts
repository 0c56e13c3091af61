/// <reference lib="dom" />
/**
 * A built webview app (dist/webview/<app>.js) in headless Chromium, with `acquireVsCodeApi`
 * replaced by a recorder: the test reads what the app posts and delivers host messages to it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Message } from '../../webview/shared/messages';
import { launchChromium } from './code-server';

const WEBVIEW_DIST = resolve(__dirname, '../../dist/webview');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

export interface WebviewPage {
  page: Page;
  /** Resolves with the next message the app posts that matches. */
  posted(match: (message: Message) => boolean): Promise<Message>;
  deliver(message: Message): Promise<void>;
  close(): Promise<void>;
}

export async function openWebviewApp(app: string): Promise<WebviewPage> {
  const server = await serve(app);
  const browser: Browser = await launchChromium();
  const page = await browser.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  const seen: Message[] = [];
  const waiting = new Set<() => void>();
  await page.exposeFunction('__posted', (message: Message) => {
    seen.push(message);
    for (const check of [...waiting]) check();
  });
  await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/index.html`);
  return {
    page,
    posted: (match) =>
      new Promise((resolvePosted, reject) => {
        const timer = setTimeout(() => reject(new Error(`the webview posted nothing matching within 10 s; it posted ${JSON.stringify(seen)}`)), 10_000);
        const check = () => {
          const index = seen.findIndex(match);
          if (index < 0) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolvePosted(seen.splice(index, 1)[0]!);
        };
        waiting.add(check);
        check();
      }),
    deliver: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

function serve(app: string): Promise<Server> {
  const html = `<!DOCTYPE html><html><head><meta charset="UTF-8">
<link rel="stylesheet" href="codicon.css" id="vscode-codicon-stylesheet"><link rel="stylesheet" href="${app}.css">
<script>window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted(m),
  // Like VS Code's webview state: kept across reloads of the page (sessionStorage here).
  getState: () => JSON.parse(sessionStorage.getItem('state') ?? 'null') ?? undefined,
  setState: (state) => sessionStorage.setItem('state', JSON.stringify(state)),
});</script>
</head><body><main id="app"></main><script type="module" src="${app}.js"></script></body></html>`;
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0]!.slice(1);
    if (name === 'index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
      return;
    }
    try {
      const body = readFileSync(join(WEBVIEW_DIST, name.replace(/\.\.+/g, '')));
      res.writeHead(200, { 'Content-Type': TYPES[extname(name)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolveServer) => server.listen(0, '127.0.0.1', () => resolveServer(server)));
}
