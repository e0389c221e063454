// jsdom for the DOM, with modules transformed for Node (Vite's "ssr" side), so a
// renderer test can import the Node harness that starts the real engine: in the
// "web" transform `new URL('./x.ts', import.meta.url)` in engine code becomes a
// page asset URL instead of a file.
import type { Environment } from 'vitest/runtime';
import { builtinEnvironments } from 'vitest/runtime';

export default {
  ...builtinEnvironments.jsdom,
  name: 'jsdom-node',
  viteEnvironment: 'ssr',
} satisfies Environment;
