// A Lua script imports as its file name (without .lua, e.g. "agentStart-5") and its text: esbuild.mjs's
// lua-files plugin in the bundle, test/helpers/register-lua.cjs under mocha.
declare module '*.lua' {
  const script: { file: string; source: string };
  export default script;
}
