// `npm run build`: the renderer (Vite), the Electron entry points (main,
// preload, engine host) bundled for Electron, and the `cairn` command
// (build-cli.ts). Native and Electron modules stay external; the preload is
// one CommonJS file because sandboxed preloads cannot load modules.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { buildCli, NODE_EXTERNAL } from './build-cli.ts';
import { root } from './run-step.ts';

await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });

const node = (input: Record<string, string>, emptyOutDir: boolean, single: boolean) => build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: join(root, 'dist-electron'),
    emptyOutDir,
    target: 'node24',
    sourcemap: true,
    rollupOptions: {
      input,
      external: NODE_EXTERNAL,
      output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs', ...(single ? { codeSplitting: false } : {}) },
    },
  },
  ssr: { noExternal: true, external: ['better-sqlite3', 'pdfjs-dist'] },
});

const entries: Record<string, string> = {};
for (const [name, file] of Object.entries({
  main: 'electron/main/main.ts',
  'engine-host': 'electron/engine-host/engine-host.ts',
  // Documents are parsed in a worker thread; in the bundle it sits beside engine-host.cjs.
  'ingest-worker': 'electron/engine/documents/ingest-worker.ts',
})) {
  if (existsSync(join(root, file))) entries[name] = join(root, file);
}
await node(entries, true, false);
// A sandboxed preload can only require('electron'): it must be one self-contained file.
await node({ preload: join(root, 'electron/preload/preload.ts') }, false, true);
const preload = readFileSync(join(root, 'dist-electron', 'preload.cjs'), 'utf8');
if (/require\(["']\.\.?\//.test(preload)) throw new Error('dist-electron/preload.cjs requires a local chunk; a sandboxed preload cannot load it.');

// The `cairn` command as one file, used by bin/cairn.js while it is up to date with its sources.
await buildCli();

console.log(`built renderer → dist/renderer, electron → dist-electron (${[...Object.keys(entries), 'preload'].join(', ')}), cli → dist-cli`);
