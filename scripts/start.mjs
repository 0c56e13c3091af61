// `npm start`: installs what is missing, builds, runs the daemon (embedded Redis) and the demo
// fleet, and says what to do next. Arguments go to the daemon (e.g. `npm start -- --port 7421`).
// Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { build, ensureNodeModules, ensureRedisServer, nodeVersionOk, root } from './ensure.mjs';

nodeVersionOk();
ensureNodeModules();
ensureRedisServer();
build();

const cli = join(root, 'dist', 'cli.js');
const daemon = spawn(process.execPath, [cli, 'daemon', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
let fleet;
let output = '';
daemon.stdout.on('data', (chunk) => {
  output += chunk;
  const ready = /switchboard ready (\S+)/.exec(output);
  if (!ready || fleet) return;
  process.stdout.write(output);
  const stateDirFlag = process.argv.indexOf('--state-dir');
  const stateDir =
    stateDirFlag > 0
      ? process.argv[stateDirFlag + 1]
      : (process.env.SWITCHBOARD_STATE_DIR ?? join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'switchboard'));
  const env = { ...process.env, SWITCHBOARD_STATE_DIR: stateDir };
  fleet = spawn(process.execPath, [join(root, 'dist', 'demo-fleet.js')], { stdio: 'inherit', env });
  process.stdout.write(`
Switchboard is running at ${ready[1]} with its own Redis (state and token in ${stateDir}).
The demo fleet is starting: 7 agents that beat, signal each other, fail, go silent, and ask you for approval.

Next, in another terminal:
  npm run cli -- agents --watch          live agent table
  npm run cli -- approvals               the reviewer's pending merge request
  npm run cli -- approve <requestId>     answer it (or: reject <requestId> --reason "…")
  npm run cli -- events --follow         every change as it happens
  Your own agents: docs/agents.md (TypeScript SDK, curl, Python)
  VS Code: npm run package, then install switchboard-0.1.0.vsix (Extensions: Install from VSIX…)

Ctrl-C stops the fleet and the daemon.
`);
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  fleet?.kill('SIGTERM');
  daemon.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
daemon.on('exit', (code) => {
  fleet?.kill('SIGTERM');
  process.exitCode = stopping ? 0 : (code ?? 1);
});
