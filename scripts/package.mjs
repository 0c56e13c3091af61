// `npm run package`: builds and packs the extension, daemon included, into switchboard-<version>.vsix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, build, ensureNodeModules, root, run } from './ensure.mjs';

ensureNodeModules();
build();
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = process.env.SWITCHBOARD_VSIX ?? join(root, `switchboard-${version}.vsix`);
// Everything is bundled by esbuild: no node_modules in the package.
run(bin('vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out]);
