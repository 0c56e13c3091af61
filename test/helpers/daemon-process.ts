/** The built CLI (`dist/cli.js`) run as a real daemon process, for restart, kill -9 and embedded-mode tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CLI = resolve(__dirname, '../../dist/cli.js');

export interface DaemonProcess {
  child: ChildProcess;
  url: string;
  token: string;
  stderr(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
}

/** `nodeArgs` go to node itself, before the script (e.g. `--cpu-prof`). */
export function spawnDaemon(stateDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = process.env, nodeArgs: string[] = []): Promise<DaemonProcess> {
  assertBuilt();
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'daemon', '--state-dir', stateDir, '--port', '0', ...extraArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((done) => child.once('exit', (code, signal) => done(code ?? signal ?? -1)));
  return new Promise((resolveReady, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /switchboard ready (\S+)/.exec(out);
      if (match) {
        const token = readFileSync(join(stateDir, 'token'), 'utf8').trim();
        resolveReady({ child, url: match[1]!, token, stderr: () => err, exited });
      }
    });
    void exited.then((code) => reject(new Error(`daemon exited (${code}) before ready:\n${err}`)));
  });
}

/** Runs the CLI to completion; `input`, if given, is its stdin. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  assertBuilt();
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}
