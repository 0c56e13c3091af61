// `npm run bench`: builds, then runs every benchmark in bench/ in turn; each prints its figures and
// writes bench/results/<name>.json. `npm run bench -- scale` runs one.
import { join } from 'node:path';
import { bin, build, ensureNodeModules, ensurePythonVenv, ensureRedisServer, onPath, root, run } from './ensure.mjs';

ensureNodeModules();
ensureRedisServer();
if (!onPath('redis-benchmark')) {
  process.stderr.write('switchboard: redis-benchmark is missing (it comes with redis-server / redis-tools)\n');
  process.exit(1);
}
build();
const all = ['ready', 'heartbeat', 'signals', 'scale', 'extension', 'outcomes', 'queues', 'safety-enforcement', 'safety-policy', 'safety-validate', 'coordination', 'workflows', 'python', 'mcp'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const name of chosen) {
  process.stdout.write(`\n== bench/${name}.ts\n`);
  // the python bench runs the Python SDK from its venv
  const env = name === 'python' ? { ...process.env, SWITCHBOARD_PYTHON: ensurePythonVenv() } : process.env;
  run(bin('tsx'), [join(root, 'bench', `${name}.ts`)], { env });
}
