// ESLint flat config. The rule that matters most: src/core (and the sandbox, which reuses it) never
// imports 'vscode', so the engine runs under plain Node and is tested there.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export const noVscodeInCore = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'src/core must not import vscode: keep the engine editor-free (see design.md).' }],
    },
  ],
  'no-restricted-modules': 'off',
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']",
      message: 'src/core must not require vscode: keep the engine editor-free (see design.md).',
    },
    {
      selector: "ImportExpression[source.value='vscode']",
      message: 'src/core must not import vscode: keep the engine editor-free (see design.md).',
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-artifacts/', 'src/core/mesos/proto/generated/', 'test/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/sandbox/**/*.ts', 'src/cli/**/*.ts'],
    rules: noVscodeInCore,
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
