/** The state dir (token, daemon.json, embedded Redis data) and the token file. */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWITCHBOARD_STATE_DIR) return env.SWITCHBOARD_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'switchboard');
}

export function ensureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export const tokenPath = (stateDir: string) => join(stateDir, 'token');
export const daemonInfoPath = (stateDir: string) => join(stateDir, 'daemon.json');

const TOKEN = /^[0-9a-f]{64,}$/;

/** Reads the token, or creates it (32 random bytes, hex, mode 0600) on first start. */
export function loadOrCreateToken(stateDir: string): string {
  const file = tokenPath(stateDir);
  const existing = readToken(file);
  if (existing) return existing;
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another daemon created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = readToken(file);
  if (!created) throw new Error(`${file} does not hold a valid token (64+ hex characters); delete it to make a new one`);
  return created;
}

function readToken(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!TOKEN.test(text)) return undefined;
  chmodSync(file, 0o600);
  return text;
}
