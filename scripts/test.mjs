// `npm test`: installs what is missing, then type-checks, lints, builds and runs every test:
// the daemon against a real redis-server, the webviews in Chromium, and the extension in a real
// VS Code (code-server, cached outside git). Extra arguments go to mocha (`npm test -- --grep signals`).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bin, build, ensureNodeModules, ensureRedisServer, nodeVersionOk, root, run } from './ensure.mjs';

nodeVersionOk();
ensureNodeModules();
ensureRedisServer();
// code-server 4.100.3 + Chromium + ripgrep for the extension's end-to-end tests (first run ~1 min).
const codeServer = execFileSync('bash', [join(root, 'scripts/install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run(bin('tsc'), ['-p', 'webview/tsconfig.json', '--noEmit']);
run(bin('eslint'), ['.']);
build();
run(bin('mocha'), ['test/**/*.test.ts', ...process.argv.slice(2)], { env: { ...process.env, SWITCHBOARD_CODE_SERVER: codeServer } });
