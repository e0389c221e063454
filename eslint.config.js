// Lint, including the layer boundaries of DESIGN.md: the folder says which
// runtime the code may use, and a forbidden import fails the lint.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import i18next from 'eslint-plugin-i18next';
import globals from 'globals';

// Every word of the window comes from the catalogs (shared/locales/): literal JSX text in any
// renderer component fails the lint (test/shared/literal-strings.test.ts shows it firing).
const translated = ['renderer/**/*.tsx'];

const nodeBuiltins = [...new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))];

const noElectron = { name: 'electron', message: 'Only electron/main/ and electron/preload/ may import electron; pass what you need in through an interface.' };
const nodeBuiltinPaths = nodeBuiltins.map((name) => ({ name, message: 'This layer runs without Node: no Node built-ins here.' }));
// Electron's own subpath modules (electron/main, electron/common, …) are refused with `electron` itself.
const noElectronSubpath = { regex: '^electron/', message: noElectron.message };

// The one-way order of the plain-Node and Electron rooms in electron/ (docs/architecture.md):
//   shared ← store ← engine ← service ← cli | engine-host | main     (preload: shared only)
// A room may import the rooms left of it, never one right of it or a sibling. The check
// reads the import's path, so a room is any path segment with its name: `../engine/x.ts`,
// `../../electron/engine/x.ts` (a file named main.ts is not the main/ room).
const ORDER = 'shared ← store ← engine ← service ← cli | engine-host | main';
const room = (name, why) => ({ regex: `(^|/)${name}/`, message: `${why} (one-way order: ${ORDER}). Move what both need down to the lower room.` });
const noRenderer = { group: ['**/renderer/**'], message: 'Main-side code never imports renderer code; share it through shared/.' };
const rooms = {
  store: ['engine', 'service', 'cli', 'engine-host', 'main', 'preload'],
  engine: ['service', 'cli', 'engine-host', 'main', 'preload'],
  service: ['cli', 'engine-host', 'main', 'preload'],
  cli: ['engine-host', 'main', 'preload'],
  'engine-host': ['cli', 'main', 'preload'],
  main: ['cli', 'engine-host', 'preload'],
  preload: ['store', 'engine', 'service', 'cli', 'engine-host', 'main'],
};
const plainNode = new Set(['store', 'engine', 'service', 'cli', 'engine-host']);
const roomRules = Object.entries(rooms).map(([name, forbidden]) => ({
  files: [`electron/${name}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      paths: [
        ...(plainNode.has(name) ? [noElectron] : []),
        // The preload runs sandboxed: it can require electron and nothing of Node.
        ...(name === 'preload' ? nodeBuiltinPaths : []),
      ],
      patterns: [
        ...(plainNode.has(name) ? [noElectronSubpath] : []),
        noRenderer,
        ...forbidden.map((other) => room(other, plainNode.has(name) && other === 'main'
          ? `electron/${name}/ runs in plain Node and never imports electron/main/`
          : `electron/${name}/ never imports electron/${other}/`)),
      ],
    }],
  },
}));

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
    // Anything outside the Electron rooms and the tests (scripts, bench, configs, stray files) leaves electron alone.
    files: ['**/*.{ts,tsx,js}'],
    ignores: ['electron/main/**', 'electron/preload/**', 'test/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noElectronSubpath] }] },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...nodeBuiltinPaths, { name: 'react', message: 'shared/ is runtime-free.' }],
        patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'shared/ is the bottom of the one-way order: it depends on nothing of electron/ or renderer/.' }],
      }],
    },
  },
  ...roomRules,
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
  {
    files: translated,
    plugins: { i18next },
    rules: { 'i18next/no-literal-string': ['error', { mode: 'jsx-text-only' }] },
  },
);
