/** Finds the daemon: explicit options, then SWITCHBOARD_URL / SWITCHBOARD_TOKEN, then <state-dir>/daemon.json and token. */
import { readFileSync } from 'node:fs';
import type { DaemonInfo } from '../protocol/types';
import { daemonInfoPath, defaultStateDir, tokenPath } from '../common/state-dir';

export interface Endpoint {
  url: string;
  token: string;
}

export interface DiscoveryOptions {
  url?: string;
  token?: string;
  stateDir?: string;
  env?: NodeJS.ProcessEnv;
}

export class DaemonNotFoundError extends Error {}

export function discoverDaemon(options: DiscoveryOptions = {}): Endpoint {
  const env = options.env ?? process.env;
  const stateDir = options.stateDir ?? defaultStateDir(env);
  const url = options.url ?? env.SWITCHBOARD_URL ?? readInfo(stateDir)?.url;
  if (!url) {
    throw new DaemonNotFoundError(`no Switchboard daemon found: ${daemonInfoPath(stateDir)} is missing (start one with \`switchboard daemon\`)`);
  }
  const token = options.token ?? env.SWITCHBOARD_TOKEN ?? readToken(stateDir);
  if (!token) throw new DaemonNotFoundError(`no token: ${tokenPath(stateDir)} is missing (pass a token or set SWITCHBOARD_TOKEN)`);
  return { url, token };
}

export function readInfo(stateDir: string): DaemonInfo | undefined {
  try {
    return JSON.parse(readFileSync(daemonInfoPath(stateDir), 'utf8')) as DaemonInfo;
  } catch {
    return undefined;
  }
}

function readToken(stateDir: string): string | undefined {
  try {
    return readFileSync(tokenPath(stateDir), 'utf8').trim();
  } catch {
    return undefined;
  }
}
