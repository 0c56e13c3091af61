// `npm run demo`: the demo fleet alone, against an already running daemon.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build, ensureNodeModules, root } from './ensure.mjs';

ensureNodeModules();
build();
const fleet = spawn(process.execPath, [join(root, 'dist', 'demo-fleet.js')], { stdio: 'inherit' });
process.on('SIGINT', () => fleet.kill('SIGINT'));
fleet.on('exit', (code) => (process.exitCode = code ?? 0));
