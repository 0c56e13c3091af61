// typescript-eslint's recommended rules over the TypeScript sources.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What no daemon file imports (later entries replace the rule for their files, so each repeats this). */
const NOT_DAEMON = ['client', 'cli', 'extension', 'webview', 'mcp'];

/** The daemon's domain modules (daemon/modules.ts lists them): none imports another. */
const DOMAINS = ['agents', 'signals', 'approvals', 'events', 'session', 'queues', 'outcomes', 'safety', 'coordination', 'feedback', 'workflows', 'routing'];

export default tseslint.config(
  { ignores: ['dist/', 'dist-test/', 'out/', 'node_modules/', '.cache/', 'test-results/', 'bench/results/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  // The layers (docs/architecture.md): arrows point down, and nothing reaches into daemon/ but
  // the daemon itself and the CLI's `daemon` command.
  ...layer(['protocol/**/*.ts', 'common/**/*.ts'], ['daemon', 'client', 'cli', 'extension', 'webview', 'mcp']),
  ...layer(['client/**/*.ts'], ['daemon', 'cli', 'extension', 'webview', 'mcp']),
  ...layer(['cli/**/*.ts'], ['daemon', 'extension', 'webview'], ['cli/daemon-command.ts']),
  ...layer(['extension/**/*.ts'], ['daemon', 'cli']),
  ...layer(['webview/**/*.ts'], ['daemon', 'client', 'cli', 'extension']),
  // `switchboard mcp` is a client of the daemon: the SDK, the protocol and common only.
  ...layer(['mcp/**/*.ts'], ['daemon', 'cli', 'extension', 'webview']),
  ...layer(['daemon/**/*.ts'], NOT_DAEMON),
  // Inside the daemon: store → hub → domain → the domain modules → server → runtime.
  ...layer(['daemon/store/**/*.ts'], [...NOT_DAEMON, 'hub', 'domain', ...DOMAINS, 'server', 'runtime', 'modules']),
  ...layer(['daemon/hub/**/*.ts'], [...NOT_DAEMON, 'domain', ...DOMAINS, 'server', 'runtime', 'modules']),
  ...layer(['daemon/domain/**/*.ts'], [...NOT_DAEMON, ...DOMAINS, 'server', 'runtime', 'modules']),
  ...DOMAINS.flatMap((domain) => layer([`daemon/${domain}/**/*.ts`], [...NOT_DAEMON, ...DOMAINS.filter((d) => d !== domain), 'server', 'runtime', 'modules'])),
  ...layer(['daemon/server/**/*.ts'], [...NOT_DAEMON, ...DOMAINS, 'runtime', 'modules']),
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

/** Files in `files` may not import from the folders in `forbidden`. */
function layer(files, forbidden, ignores = []) {
  const group = forbidden.flatMap((dir) => [`**/${dir}/*`, `**/${dir}/**`, `**/${dir}`]);
  return [
    {
      files,
      ignores,
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ group, message: `layer rule: ${files[0].replace('/**/*.ts', '')}/ may not import ${forbidden.join(', ')} (docs/architecture.md)` }] }],
      },
    },
  ];
}
