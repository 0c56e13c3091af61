// `npm test`: installs what is missing, then type-checks, lints, builds and runs every test:
// the daemon against a real redis-server, the webviews in Chromium, and the extension in a real
// VS Code (code-server, cached outside git). Extra arguments go to mocha (`npm test -- --grep signals`).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bin, build, ensureNodeModules, ensurePythonVenv, ensureRedisServer, nodeVersionOk, root, run } from './ensure.mjs';

nodeVersionOk();
ensureNodeModules();
ensureRedisServer();
const python = ensurePythonVenv();
// code-server 4.100.3 + Chromium + ripgrep for the extension's end-to-end tests (first run ~1 min).
const codeServer = execFileSync('bash', [join(root, 'scripts/install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run(bin('tsc'), ['-p', 'webview/tsconfig.json', '--noEmit']);
run(bin('eslint'), ['.']);
build();

const PYTEST_LIMIT_MS = 10 * 60_000;

// mocha, then the Python SDK's pytest (against the same build), with their output passed through
// and their counts repeated as one plain closing line; either failing fails the run.
const mocha = spawn(bin('mocha'), ['test/**/*.test.ts', ...process.argv.slice(2)], {
  cwd: root,
  env: { ...process.env, SWITCHBOARD_CODE_SERVER: codeServer },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
mocha.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
mocha.on('close', (code, signal) => {
  const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0);
  const mochaSummary = `mocha: ${count('passing')} passed, ${count('failing')} failed`;
  const mochaFailed = (code ?? (signal ? 1 : 0)) !== 0;
  // Each test has its own timeout (pyproject.toml); this bounds the run as a whole, so CI ends.
  const pytest = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'sdk/python/tests'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: PYTEST_LIMIT_MS,
    killSignal: 'SIGKILL',
  });
  process.stdout.write(pytest.stdout ?? '');
  if (pytest.signal) process.stdout.write(`\npytest did not finish within ${PYTEST_LIMIT_MS / 60_000} min and was stopped (${pytest.signal})\n`);
  const tally = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(pytest.stdout ?? '')?.[1] ?? 0);
  process.stdout.write(`\n${mochaSummary}; pytest: ${tally('passed')} passed, ${tally('failed') + tally('error')} failed\n`);
  process.exit(mochaFailed || pytest.status !== 0 ? 1 : 0);
});
