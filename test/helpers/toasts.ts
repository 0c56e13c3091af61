/**
 * Every notification toast the workbench shows, as it appears: its text, its severity (the icon
 * VS Code gives it) and when. Toasts hide by themselves and fold into the notification centre
 * beyond three, so they are recorded by a MutationObserver in the page, not looked up afterwards.
 */
import type { Page } from 'playwright-core';

export type Severity = 'info' | 'warning' | 'error';

export interface Toast {
  text: string;
  severity: Severity | 'unknown';
  at: number;
}

export interface ToastLog {
  toasts: Toast[];
  /** Resolves with the first toast (already shown or still to come) whose text matches. */
  next(text: RegExp, timeoutMs?: number): Promise<Toast>;
}

// Plain text for the page: a function would carry the test runner's transpiler helpers along.
// VS Code shows one notification once, however often it is asked to (identical texts merge):
// a text is recorded the first time it is drawn, not each time its row is drawn again.
const OBSERVER = `(() => {
  const seen = new Set();
  const scan = () => {
    for (const item of document.querySelectorAll('.notifications-toasts .notification-list-item')) {
      const text = item.querySelector('.notification-list-item-message')?.textContent;
      if (!text || seen.has(text)) continue;
      seen.add(text);
      const icon = item.querySelector('.notification-list-item-icon');
      const severity = ['error', 'warning', 'info'].find((s) => icon?.classList.contains('codicon-' + s)) ?? 'unknown';
      window.switchboardToastShown(text, severity);
    }
  };
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
  scan();
})()`;

export async function recordToasts(page: Page): Promise<ToastLog> {
  const toasts: Toast[] = [];
  const waiters = new Set<() => void>();
  await page.exposeFunction('switchboardToastShown', (text: string, severity: Toast['severity']) => {
    toasts.push({ text, severity, at: Date.now() });
    for (const check of [...waiters]) check();
  });
  // Installed again by every load of the page (a window reload), and now in the page as it is.
  await page.addInitScript(`document.addEventListener('DOMContentLoaded', () => ${OBSERVER})`);
  await page.evaluate(OBSERVER);
  return {
    toasts,
    next: (text, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no toast matching ${text} within ${timeoutMs} ms; shown: ${JSON.stringify(toasts)}`));
        }, timeoutMs);
        function check() {
          const toast = toasts.find((t) => text.test(t.text));
          if (!toast) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(toast);
        }
        waiters.add(check);
        check();
      }),
  };
}
