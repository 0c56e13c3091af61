/**
 * When each step of a workbench's start happened, read from code-server's own logs (epoch ms,
 * the same clock as the test's): so a measured delay can be split into code-server's share and ours.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StartupTimeline {
  /** The workbench asked the server for an extension host (remoteagent.log). */
  hostRequested: number;
  /** The server forked the extension host process. */
  hostLaunched: number;
  /** The extension host process is up (its own log's first line). */
  hostStarted: number;
  /** The extension host begins to activate us: loading our bundle, then activate(). */
  ourActivation: number;
}

export function startupTimeline(userDataDir: string): StartupTimeline {
  const logs = join(userDataDir, 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).sort();
  const read = (name: string) => readFileSync(join(logs, files.find((path) => path.endsWith(name))!), 'utf8');
  const agent = read('remoteagent.log');
  const host = read(join('exthost1', 'remoteexthost.log'));
  return {
    hostRequested: timeOf(agent, /\[ExtensionHostConnection\] New connection established/),
    hostLaunched: timeOf(agent, /Launched Extension Host Process/),
    hostStarted: timeOf(host, /Extension host with pid \d+ started/),
    ourActivation: timeOf(host, /_doActivateExtension switchboard\.switchboard/),
  };
}

/** The time of the first line matching `pattern` (lines start "2026-12-01 08:06:05.510", local time). */
function timeOf(log: string, pattern: RegExp): number {
  const line = log.split('\n').find((l) => pattern.test(l));
  if (!line) throw new Error(`no log line matches ${pattern}`);
  return new Date(line.slice(0, 23).replace(' ', 'T')).getTime();
}
