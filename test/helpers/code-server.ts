/**
 * A real VS Code for the extension's end-to-end tests: code-server 4.100.3 (VS Code 1.100, on
 * Node 20) from a cache outside git (scripts/install-code-server.sh), our .vsix installed into a
 * fresh extensions dir, and Debian's Chromium driven by playwright-core.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { terminate, waitForOutput } from './child-process';
import { freePort } from './redis-server';

const ROOT = resolve(__dirname, '../..');

/** The code-server install dir (installs it on first use; later runs reuse the cache). */
export function codeServerDir(): string {
  if (process.env.SWITCHBOARD_CODE_SERVER && existsSync(join(process.env.SWITCHBOARD_CODE_SERVER, '.complete'))) return process.env.SWITCHBOARD_CODE_SERVER;
  return execFileSync('bash', [join(ROOT, 'scripts/install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** Packs the extension (npm test has built dist/ already) and returns the .vsix path. */
export function packageVsix(): string {
  const out = join(mkdtempSync(join(tmpdir(), 'sb-vsix-')), 'switchboard.vsix');
  execFileSync(join(ROOT, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  return out;
}

export interface Workbench {
  url: string;
  port: number;
  folder: string;
  userDataDir: string;
  /** A local path as the vscode-remote:// URI the workbench uses for it. */
  remote(path: string): string;
  stop(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Installed before start; omit to load the extension from the tree (extensionDevelopmentPath). */
  vsix?: string;
  /** Extra user settings (switchboard.stateDir, …). */
  settings: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

export async function startWorkbench({ vsix, settings, env = process.env }: WorkbenchOptions): Promise<Workbench> {
  const dir = codeServerDir();
  const entry = join(dir, 'node_modules/code-server/out/node/entry.js');
  const base = mkdtempSync(join(tmpdir(), 'sb-code-'));
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  const folder = join(base, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, ...settings, ...theme(env) }, null, 2),
  );
  if (vsix) execFileSync(process.execPath, [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: 'ignore', env });
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', folder],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await waitForOutput(child, /HTTP server listening on/, 'code-server');
  return {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`,
    remote: (path: string) => `vscode-remote://127.0.0.1:${port}${path}`,
    port,
    folder,
    userDataDir,
    stop: () => terminate(child),
  };
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** SWITCHBOARD_E2E_THEME (e.g. "Default Dark Modern") runs the workbench in that colour theme (over a suite's own), to look at the screenshots in it. */
function theme(env: NodeJS.ProcessEnv): Record<string, string> {
  return env.SWITCHBOARD_E2E_THEME ? { 'workbench.colorTheme': env.SWITCHBOARD_E2E_THEME } : {};
}
