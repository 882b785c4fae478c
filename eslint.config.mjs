import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/host/**', 'test/output/**', 'test/demo-skills/**', 'test/integration/workspace/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  {
    // The engine, the CLI and the unit tests run on plain Node: no editor APIs.
    files: ['server/src/engine/**/*.ts', 'server/src/cli/**/*.ts', 'test/unit/**/*.ts', 'test/rules/**/*.ts', 'test/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The engine must not depend on the editor.' },
            { name: 'vscode-languageserver', message: 'The engine must not depend on the language server.' },
            { name: 'vscode-languageserver/node', message: 'The engine must not depend on the language server.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', __dirname: 'readonly' } },
  },
);
