// typescript-eslint's recommended rules over the TypeScript sources.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  ...layer(['protocol/**/*.ts', 'common/**/*.ts'], ['daemon', 'client', 'cli', 'extension', 'webview']),
  ...layer(['client/**/*.ts'], ['daemon', 'cli', 'extension', 'webview']),
  ...layer(['cli/**/*.ts'], ['daemon', 'extension', 'webview'], ['cli/daemon-command.ts']),
  ...layer(['extension/**/*.ts'], ['daemon', 'cli']),
  ...layer(['webview/**/*.ts'], ['daemon', 'client', 'cli', 'extension']),
  ...layer(['daemon/**/*.ts'], ['client', 'cli', 'extension', 'webview']),
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

/** Files in `files` may not import from the top-level folders in `forbidden`. */
function layer(files, forbidden, ignores = []) {
  const group = forbidden.flatMap((dir) => [`**/${dir}/*`, `**/${dir}/**`, `**/${dir}`]);
  return [
    {
      files,
      ignores,
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ group, message: `layer rule: ${files[0].split('/')[0]}/ may not import ${forbidden.join(', ')} (docs/architecture.md)` }] }],
      },
    },
  ];
}
