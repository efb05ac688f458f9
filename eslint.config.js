// ESLint flat config: typescript-eslint's recommended rules over every TypeScript folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'coverage/', '.tmp/', 'dev-dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Test-only modules live in client/test-support/ and test/; the app, the relay and the protocol never ship them.
    files: ['client/**/*.ts', 'shared/**/*.ts', 'relay/**/*.ts'],
    ignores: ['**/*.test.ts', 'client/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/test-support/**', '**/test/**'], message: 'test-only code: import it from tests only' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    // Plain scripts run under Node, and some (screenshots, e2e helpers) evaluate code in the page.
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
