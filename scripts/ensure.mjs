// What `npm start` and `npm test` need on a fresh machine: node modules, redis-server, the build.
// Plain Node (no dependencies): it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

export function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    process.stderr.write(`\n${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

/** npm ci when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs) return;
  // A node_modules linked from another checkout (a git worktree) is that checkout's: npm ci would
  // empty it through the link before replacing the link with an install of its own.
  if (lstatSync(join(root, 'node_modules'), { throwIfNoEntry: false })?.isSymbolicLink()) return;
  process.stderr.write('switchboard: installing node modules (npm ci)…\n');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** redis-server from Debian's packages when root with apt-get; otherwise one line saying what to install. */
export function ensureRedisServer() {
  if (onPath('redis-server')) return;
  if (process.getuid?.() === 0 && onPath('apt-get')) {
    process.stderr.write('switchboard: installing redis-server (apt-get)…\n');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'redis-server'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    // Debian's package starts a system-wide server on 6379; Switchboard runs its own.
    spawnSync('service', ['redis-server', 'stop'], { stdio: 'ignore' });
    return;
  }
  process.stderr.write('switchboard: redis-server is not installed: apt-get install redis-server (Debian/Ubuntu) or brew install redis (macOS)\n');
  process.exit(1);
}

export function build() {
  run(process.execPath, [join(root, 'esbuild.mjs')]);
}

export function nodeVersionOk() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    process.stderr.write(`switchboard: Node ${process.versions.node} is too old: install Node 20 or newer\n`);
    process.exit(1);
  }
}

export const bin = (name) => join(root, 'node_modules', '.bin', name);
export { execFileSync };

/**
 * The Python SDK's test venv, in a cache dir outside git: python3 -m venv, then the SDK (editable)
 * and pytest. Made again when the SDK's pyproject.toml or the checkout it points at changed.
 * Returns the venv's python.
 */
export function ensurePythonVenv() {
  const venv = join(root, 'node_modules', '.cache', 'switchboard-python');
  const python = join(venv, 'bin', 'python');
  const sdk = join(root, 'sdk', 'python');
  const marker = join(venv, 'switchboard-installed');
  const wanted = `${sdk}\n${readFileSync(join(sdk, 'pyproject.toml'), 'utf8')}`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return python;
  if (!onPath('python3')) {
    process.stderr.write('switchboard: python3 is not installed: apt-get install python3 python3-venv (Debian/Ubuntu) or brew install python\n');
    process.exit(1);
  }
  if (spawnSync('python3', ['-m', 'venv', '--help'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write('switchboard: python3 cannot make virtual environments: apt-get install python3-venv\n');
    process.exit(1);
  }
  process.stderr.write('switchboard: making the Python SDK test venv…\n');
  if (!existsSync(python)) run('python3', ['-m', 'venv', venv]);
  // No retries: an index the machine cannot reach (pypi.org behind a local mirror) is skipped at
  // once instead of after pip's back-off for every package (90 s here, against 10 s).
  const pip = ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '--retries', '0'];
  run(python, [...pip, 'hatchling', 'editables', 'pytest', 'pytest-timeout']);
  // no build isolation: the hatchling just installed builds it, with no second download
  run(python, [...pip, '--no-build-isolation', '-e', sdk]);
  writeFileSync(marker, wanted);
  return python;
}
