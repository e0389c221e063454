// `npm run dev`: Vite's dev server for the renderer and Electron pointed at it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'vite';
import { root, run } from './run-step.ts';

const server = await createServer({ configFile: join(root, 'vite.config.ts') });
await server.listen();
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('Vite did not report a local URL');
const built = await run('node', ['scripts/build.ts']);
if (built !== 0) process.exit(built);
const child = spawn('node', ['scripts/launch-electron.ts'], { cwd: root, stdio: 'inherit', env: { ...process.env, CAIRN_DEV_SERVER_URL: url } });
child.on('exit', async (code) => {
  await server.close();
  process.exit(code ?? 0);
});
