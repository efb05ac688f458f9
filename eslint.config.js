// ESLint flat config: typescript-eslint's recommended rules over every TypeScript folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const CORE_PLUGINS = {
  regex: '(^|/)(agents|http|redis|adapters)/|(^|/)(config[^/]*|bootstrap|assemble)\\.ts$',
  message:
    'relay/core owns its contracts: plug-ins (agents, http, redis, adapters, config) import core, not the reverse.',
};
const CORE_RUNTIME = {
  regex: '^(node:|ws$|redis$|@redis/)',
  message: 'relay/core runs on any runtime: no Node modules, ws or redis.',
};
const WS = { regex: '^ws$', message: 'Only relay/adapters/ touches ws.' };
const SHARED = [
  { regex: '(^|/)(client|relay)/', message: 'shared/ is imported by client and relay, and imports neither.' },
  { regex: '^(node:|ws$|redis$)', message: 'shared/ has no Node.' },
];
const CLIENT = [
  { regex: '(^|/)relay/', message: 'client/ talks to the relay over the protocol in shared/, not by import.' },
  { regex: '^(node:|ws$|redis$)', message: 'client/ runs in the browser: no Node.' },
];
// One writer per store: only the data layer (and the boot, which opens the database) holds a ParleyDb.
const ONE_WRITER = {
  regex: '(^|/)db\\.ts$',
  importNames: ['ParleyDb'],
  message: 'IndexedDB has one writer, client/state/local-data.ts: read through DbReader, write through the store.',
};
const TEST_ONLY = { group: ['**/test-support/**', '**/test/**'], message: 'test-only code: import it from tests only' };

/** The import rules per folder; product files also may not import test-only code, and tests may seed a database. */
function boundaries() {
  const rule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
  const tests = ['**/*.test.ts', 'client/test-support/**'];
  const writers = ['client/state/local-data.ts', 'client/state/app-core.ts'];
  return [
    { files: ['relay/core/**/*.ts'], ignores: tests, rules: rule([CORE_PLUGINS, CORE_RUNTIME, TEST_ONLY]) },
    { files: ['relay/core/**/*.test.ts'], rules: rule([CORE_PLUGINS, CORE_RUNTIME]) },
    {
      files: ['relay/**/*.ts'],
      ignores: ['relay/core/**', 'relay/adapters/**', ...tests],
      rules: rule([WS, TEST_ONLY]),
    },
    { files: ['relay/adapters/**/*.ts'], ignores: tests, rules: rule([TEST_ONLY]) },
    { files: ['shared/**/*.ts'], ignores: tests, rules: rule([...SHARED, TEST_ONLY]) },
    { files: ['shared/**/*.test.ts'], rules: rule(SHARED) },
    { files: ['client/**/*.ts'], ignores: [...writers, ...tests], rules: rule([...CLIENT, ONE_WRITER, TEST_ONLY]) },
    { files: writers, rules: rule([...CLIENT, TEST_ONLY]) },
    { files: tests.map((t) => `client/${t.replace(/^client\//, '')}`), rules: rule(CLIENT) },
  ];
}

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
  // Flat config replaces a rule wholesale, so each file gets exactly one `no-restricted-imports`, built here.
  ...boundaries(),
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    // Plain scripts run under Node, and some (screenshots, e2e helpers) evaluate code in the page.
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
