// Lua scripts are imported as text: esbuild's `text` loader in the bundle, test/helpers/register-lua.cjs under mocha.
declare module '*.lua' {
  const source: string;
  export default source;
}
