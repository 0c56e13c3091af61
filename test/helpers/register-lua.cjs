// Lets the TypeScript sources `import script from './x.lua'` under mocha, as esbuild's text loader does in the bundle.
const fs = require('node:fs');
require.extensions['.lua'] = (module, filename) => {
  module.exports = fs.readFileSync(filename, 'utf8');
};
