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
  // The folder rules of docs/ARCHITECTURE.md ("Boundaries"): plug-ins import the core, never the other way.
  {
    files: ['relay/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(agents|http|redis|adapters)/|(^|/)(config[^/]*|bootstrap|assemble)\\.ts$',
              message:
                'relay/core owns its contracts: plug-ins (agents, http, redis, adapters, config) import core, not the reverse.',
            },
            {
              regex: '^(node:|ws$|redis$|@redis/)',
              message: 'relay/core runs on any runtime: no Node modules, ws or redis.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['relay/**/*.ts'],
    ignores: ['relay/core/**', 'relay/adapters/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^ws$', message: 'Only relay/adapters/ touches ws.' }] },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)(client|relay)/', message: 'shared/ is imported by client and relay, and imports neither.' },
            { regex: '^(node:|ws$|redis$)', message: 'shared/ has no Node.' },
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)relay/',
              message: 'client/ talks to the relay over the protocol in shared/, not by import.',
            },
            { regex: '^(node:|ws$|redis$)', message: 'client/ runs in the browser: no Node.' },
          ],
        },
      ],
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
