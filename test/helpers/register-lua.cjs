// Lets the TypeScript sources `import script from './x.lua'` under mocha, as esbuild.mjs's lua-files plugin does in the bundle.
const fs = require('node:fs');
const path = require('node:path');
require.extensions['.lua'] = (module, filename) => {
  module.exports = { file: path.basename(filename, '.lua'), source: fs.readFileSync(filename, 'utf8') };
};
