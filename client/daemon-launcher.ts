/**
 * Starts the bundled daemon (dist/cli.js) with the running Node: the extension's (VS Code's own
 * Node, process.execPath + ELECTRON_RUN_AS_NODE=1) and `switchboard mcp`'s. It runs detached:
 * agents keep their daemon when the editor or the MCP client closes. Its output goes to
 * <state-dir>/daemon.log.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, watch } from 'node:fs';
import { join } from 'node:path';
import { readInfo } from './discovery';
import { ensureStateDir } from '../common/state-dir';
import type { DaemonInfo } from '../protocol/types';

export interface LaunchOptions {
  cliPath: string;
  stateDir: string;
  /** Resolve once daemon.json appears, or fail after this long. */
  timeoutMs?: number;
}

export async function launchDaemon({ cliPath, stateDir, timeoutMs = 15_000 }: LaunchOptions): Promise<DaemonInfo> {
  ensureStateDir(stateDir);
  const logFile = openSync(join(stateDir, 'daemon.log'), 'a');
  const child = spawn(process.execPath, [cliPath, 'daemon', '--state-dir', stateDir], {
    detached: true,
    stdio: ['ignore', logFile, logFile],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  closeSync(logFile);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the daemon exited (${code}); see ${join(stateDir, 'daemon.log')}`))),
  );
  child.unref();
  return Promise.race([waitForInfo(stateDir, child.pid!, timeoutMs), exited]);
}

/** Resolves when <state-dir>/daemon.json names this pid (watching the dir, not polling). */
function waitForInfo(stateDir: string, pid: number, timeoutMs: number): Promise<DaemonInfo> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const info = readInfo(stateDir);
      if (info?.pid !== pid) return false;
      done();
      resolve(info);
      return true;
    };
    const watcher = watch(stateDir, () => void check());
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the daemon did not get ready within ${timeoutMs} ms; see ${join(stateDir, 'daemon.log')}`));
    }, timeoutMs);
    function done() {
      watcher.close();
      clearTimeout(timer);
    }
    check();
  });
}

/** Stops the daemon named in daemon.json (SIGTERM: it finishes its replies first). */
export function stopDaemon(stateDir: string): boolean {
  const info = readInfo(stateDir);
  if (!info) return false;
  try {
    process.kill(info.pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}
