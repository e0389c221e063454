// `npm start`: launch the built desktop app. Electron's binary is fetched on
// first use; when it cannot be had, say so and point at the CLI, which runs the
// same engine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './run-step.ts';

const dir = join(root, 'node_modules', 'electron');
const pathFile = join(dir, 'path.txt');
const binary = () => (existsSync(pathFile) ? join(dir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null);
let exe = binary();
if (!exe || !existsSync(exe)) {
  spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'inherit', timeout: 300_000 });
  exe = binary();
}
if (!exe || !existsSync(exe)) {
  console.error('Could not start the desktop app: Electron\'s binary is not installed and could not be downloaded.\n' +
    'The same engine runs headless: try `npm run demo`, or `npx cairn --help`.');
  process.exit(3);
}
const child = spawn(exe, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
