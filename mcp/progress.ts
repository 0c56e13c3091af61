/**
 * MCP progress for a call that may wait (an approval, a signal, a job, a lock): while it runs, a
 * `notifications/progress` every PROGRESS_INTERVAL_MS with the time waited so far (rising, as the
 * protocol wants), the longest it may wait as `total` when known, and what it waits for. Only when
 * the client gave a progressToken; clients may keep a long call alive on them.
 */
import type { ProgressToken, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { CallHooks } from './tool-call';

export const PROGRESS_INTERVAL_MS = 1000;

export interface ProgressReporter extends CallHooks {
  stop(): void;
}

export function progressReporter(token: ProgressToken | undefined, send: (notification: ServerNotification) => Promise<void>): ProgressReporter {
  if (token === undefined) return { waiting: () => {}, stop: () => {} };
  const startedAt = performance.now();
  let message = 'working';
  let total: number | undefined;
  const timer = setInterval(() => {
    const progress = Math.round(performance.now() - startedAt);
    void send({ method: 'notifications/progress', params: { progressToken: token, progress, ...(total === undefined ? {} : { total }), message } }).catch(() => {});
  }, PROGRESS_INTERVAL_MS);
  return {
    waiting(now, totalMs) {
      message = now;
      if (totalMs !== undefined) total = Math.round(performance.now() - startedAt) + totalMs;
    },
    stop: () => clearInterval(timer),
  };
}
