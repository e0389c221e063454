// Lint, including the layer boundaries of DESIGN.md: the folder says which
// runtime the code may use, and a forbidden import fails the lint.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))];

const noElectron = { name: 'electron', message: 'Only electron/*.ts main-process files may import electron; pass what you need in through an interface.' };
const nodeBuiltinPaths = nodeBuiltins.map((name) => ({ name, message: 'This layer runs without Node: no Node built-ins here.' }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'dist-cli/**', '.dist-cli-*/**', 'release/**', 'test-results/**', 'test/fixtures/boundaries/**', 'samples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...nodeBuiltinPaths, { name: 'react', message: 'shared/ is runtime-free.' }],
        patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing of main or renderer.' }],
      }],
    },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/store/**/*.ts', 'electron/cli/**/*.ts', 'electron/service/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/renderer/**'], message: 'The engine never imports renderer code.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...nodeBuiltinPaths],
        patterns: [{ group: ['**/electron/**'], message: 'The renderer reaches main only through renderer/api.ts.' }],
      }],
    },
  },
);
