// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnlyHere = 'electron may be imported only in src/main/electron and src/preload: services stay plain Node.';
const rawIpcOnlyInWrapper = 'Use the typed IPC wrapper (src/main/electron/ipc.ts, src/preload/index.ts); raw ipcMain/ipcRenderer is not allowed elsewhere.';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: 'ExportSpecifier[exported.name="default"]', message: 'Use named exports.' },
      ],
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: electronOnlyHere }] }],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: 'CallExpression[callee.property.name=/Sync$/]', message: 'No synchronous fs in the main process: use node:fs/promises.' },
        { selector: 'CallExpression[callee.name=/Sync$/]', message: 'No synchronous fs in the main process: use node:fs/promises.' },
      ],
    },
  },
  {
    files: ['src/main/electron/**/*.ts', 'src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: rawIpcOnlyInWrapper }] },
      ],
    },
  },
  {
    files: ['src/main/electron/ipc.ts', 'src/preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Tool configs must default-export; test code may mock electron.
    files: ['*.config.{ts,js,mjs}', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Tests print nothing of their own: a figure a test must report belongs in a benchmark. A warning (a
    // skipped suite, a kept test-bed folder) goes to stderr.
    files: ['test/**/*.ts', 'e2e/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-console': ['error', { allow: ['warn', 'error'] }] },
  },
);
