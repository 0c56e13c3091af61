// Bundles the daemon CLI, the agent SDK, the demo fleet, the extension and the webviews (with
// source maps), and copies the webviews' codicons and the activity-bar icon into dist/.
// `node esbuild.mjs` builds once; `--watch` rebuilds on change.
import { chmod, copyFile, mkdir, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as esbuild from 'esbuild';

/** A Lua script imports as {file, source}: its file name (`agentStart-5`) says its name and key count. */
const luaFiles = {
  name: 'lua-files',
  setup(build) {
    build.onLoad({ filter: /\.lua$/ }, async (args) => ({
      contents: `export default ${JSON.stringify({ file: basename(args.path, '.lua'), source: await readFile(args.path, 'utf8') })};`,
      loader: 'js',
    }));
  },
};

const watch = process.argv.includes('--watch');
const node = {
  bundle: true,
  sourcemap: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  plugins: [luaFiles],
  logLevel: 'warning',
};
const webview = { bundle: true, sourcemap: true, platform: 'browser', target: 'es2022', format: 'esm', minify: !watch, logLevel: 'warning' };

const builds = [
  { ...node, entryPoints: { cli: 'cli/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { client: 'client/index.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { 'demo-fleet': 'examples/demo-fleet/main.ts' }, outdir: 'dist' },
  // jsonc-parser's `main` is a UMD build whose require('./impl/format') esbuild cannot follow: its ES module build bundles.
  { ...node, entryPoints: { extension: 'extension/extension.ts' }, outdir: 'dist', external: ['vscode'], mainFields: ['module', 'main'] },
  // The integration suite VS Code runs inside the extension host (extensionTestsPath); mocha comes from node_modules.
  { ...node, entryPoints: { 'host-tests': 'test/extension/host/index.ts' }, outdir: 'dist-test', external: ['vscode', 'mocha'] },
  {
    ...webview,
    entryPoints: {
      approval: 'webview/approval/main.ts',
      'signal-composer': 'webview/signal-composer/main.ts',
      // These import their CSS (the dashboard uPlot's too): esbuild writes it as dist/webview/<app>.css.
      dashboard: 'webview/dashboard/main.ts',
      'agent-detail': 'webview/agent-detail/main.ts',
      'workflow-graph': 'webview/workflow-graph/main.ts',
    },
    outdir: 'dist/webview',
  },
];

const copies = [
  ['webview/approval/approval.css', 'dist/webview/approval.css'],
  ['webview/signal-composer/signal-composer.css', 'dist/webview/signal-composer.css'],
  ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf'],
  ['node_modules/@vscode/codicons/src/icons/radio-tower.svg', 'dist/media/switchboard.svg'],
];

await mkdir('dist/webview', { recursive: true });
await mkdir('dist/media', { recursive: true });
await Promise.all(copies.map(([from, to]) => copyFile(from, to)));
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await chmod('dist/cli.js', 0o755);
}
