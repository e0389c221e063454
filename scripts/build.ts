// `npm run build`: the renderer (Vite) and the Electron entry points (main,
// preload, engine host) bundled for Electron. Native and Electron modules stay
// external; the preload is one CommonJS file because sandboxed preloads cannot
// load modules.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'vite';
import { root } from './run-step.ts';

const external = ['electron', 'better-sqlite3', 'pdfjs-dist', /^pdfjs-dist\//, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });

const entries: Record<string, string> = {};
for (const [name, file] of Object.entries({ main: 'electron/main.ts', preload: 'electron/preload.ts', 'engine-host': 'electron/engine-host.ts' })) {
  if (existsSync(join(root, file))) entries[name] = join(root, file);
}

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: join(root, 'dist-electron'),
    emptyOutDir: true,
    target: 'node24',
    sourcemap: true,
    rollupOptions: {
      input: entries,
      external,
      output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
    },
  },
  ssr: { noExternal: true, external: ['better-sqlite3', 'pdfjs-dist'] },
});
console.log(`built renderer → dist/renderer, electron → dist-electron (${Object.keys(entries).join(', ')})`);
