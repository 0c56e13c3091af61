// Bundles the daemon CLI, the agent SDK, the extension and the webviews (with source maps).
// `node esbuild.mjs` builds once; `--watch` rebuilds on change.
import { chmod } from 'node:fs/promises';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  sourcemap: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  loader: { '.lua': 'text' },
  logLevel: 'warning',
};

const builds = [
  { ...common, entryPoints: { cli: 'cli/main.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { client: 'client/index.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { 'demo-fleet': 'examples/demo-fleet/main.ts' }, outdir: 'dist' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await chmod('dist/cli.js', 0o755);
}
