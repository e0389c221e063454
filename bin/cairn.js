#!/usr/bin/env node
// The `cairn` command. Cairn's engine runs its TypeScript directly on Node 24
// (type stripping). When started by an older Node, re-run with the Node 24 that
// `npm install` put in node_modules, so `./bin/cairn.js` works from any shell.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [major, minor] = process.versions.node.split('.').map(Number);
const canStripTypes = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);

if (!canStripTypes) {
  const local = join(here, '..', 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(local)) {
    process.stderr.write(`cairn needs Node 22.18 or newer (this is ${process.versions.node}). Run \`npm install\` in the Cairn folder first; it installs Node 24 for Cairn.\n`);
    process.exit(2);
  }
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
} else {
  // Reuse compiled (and type-stripped) modules across runs: a resume reaches its first token sooner.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  // `npm run build` also writes the command as one file, which loads in a fraction of the time; it runs
  // only while every file it was built from is unchanged, else the sources do (electron/cli/cli-bundle.ts).
  const { BUNDLE_DIR_NAME, loadCli } = await import('../electron/cli/cli-bundle.ts');
  const { main } = await loadCli(join(here, '..', BUNDLE_DIR_NAME));
  process.exitCode = await main(process.argv.slice(2));
}
