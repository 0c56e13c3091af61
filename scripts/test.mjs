// `npm test`: installs what is missing, then type-checks, lints, builds and runs every test
// against a real redis-server. Extra arguments go to mocha (e.g. `npm test -- --grep signals`).
import { bin, build, ensureNodeModules, ensureRedisServer, nodeVersionOk, run } from './ensure.mjs';

nodeVersionOk();
ensureNodeModules();
ensureRedisServer();
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run(bin('eslint'), ['.']);
build();
run(bin('mocha'), ['test/**/*.test.ts', ...process.argv.slice(2)]);
