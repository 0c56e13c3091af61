/** Our Output channel's log in a test workbench (`<user-data>/logs/<session>/exthostN/switchboard.switchboard/`). */
import { readdirSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';

/** The log of every extension host the workbench ran (a window reload starts another), oldest first. */
export function extensionLogs(userDataDir: string): string {
  const logs = join(userDataDir, 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith(join('switchboard.switchboard', 'Switchboard.log')));
  return files
    .sort()
    .map((path) => `--- ${path}\n${readFileSync(join(logs, path), 'utf8')}`)
    .join('');
}

/** Resolves once the log passes `check` (watched, not polled); `what` names it in the error. */
export function extensionLogSays(userDataDir: string, what: string, check: (log: string) => boolean, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const says = () => check(extensionLogs(userDataDir));
    const done = (error?: Error) => {
      clearTimeout(timer);
      watcher.close();
      if (error) reject(error);
      else resolve();
    };
    const watcher = watch(join(userDataDir, 'logs'), { recursive: true }, () => says() && done());
    const timer = setTimeout(() => done(new Error(`the extension's log did not say ${what} within ${timeoutMs} ms`)), timeoutMs);
    if (says()) done();
  });
}
