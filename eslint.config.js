// Lint rules: ESLint's and typescript-eslint's recommended sets, and eslint-plugin-lit's for the templates.
// Formatting is Prettier's job (npm run format), so no rule here is about layout.
import js from '@eslint/js';
import globals from 'globals';
import lit from 'eslint-plugin-lit';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'bench/results/', 'demo/data/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'console/**/*.ts', 'test/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // TypeScript checks names itself (typescript-eslint's advice); plain scripts get the globals of where they run.
  { files: ['**/*.ts'], rules: { 'no-undef': 'off' } },
  { files: ['**/*.mjs', 'scripts/**/*.js', '*.js'], languageOptions: { globals: globals.node } },
  // The bench's figures hand functions to the page (puppeteer's evaluate): they run where the instrument's __bench is.
  {
    files: ['bench/**/*.mjs', 'bench/**/*.js'],
    languageOptions: {
      globals: { ...globals.node, ...globals.browser, __bench: 'readonly', __BENCH_TARGET__: 'readonly' },
    },
  },
  // The example apps' test hands functions to the pages it opens (puppeteer's evaluate).
  {
    files: ['test/examples/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['demo/public/**/*.js'],
    languageOptions: {
      globals: { ...globals.browser, jivo_api: 'readonly', jivo_init: 'readonly', jivo_destroy: 'readonly' },
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // chai's property assertions: expect(x).to.be.true
      '@typescript-eslint/no-unused-expressions': 'off',
      // Tests hand malformed input to the code under test on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The Widget API document's examples run here as written (var, no types), so they are not TypeScript's to judge.
    files: ['test/api/call-examples.test.ts', 'test/api/documented-examples.test.ts', 'test/api/visitor-data.test.ts'],
    rules: { 'prefer-const': 'off', eqeqeq: 'off', '@typescript-eslint/ban-ts-comment': 'off' },
  },
);
