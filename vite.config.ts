// Renderer build. The sandboxed page is loaded from disk (file://), so asset
// paths are relative and nothing is fetched from a network (the CSP forbids it).
// Chromium refuses module scripts and `crossorigin` assets from file:// outside
// Electron (origin "null"), so the bundle is one classic deferred script: the
// same dist/renderer/index.html then loads in Electron and in plain Chromium (e2e).
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

function classicScriptForFileUrls(): Plugin {
  return {
    name: 'cairn-classic-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html
          .replace(/<script type="module" crossorigin src=/g, '<script defer src=')
          .replace(/<link rel="stylesheet" crossorigin href=/g, '<link rel="stylesheet" href='),
    },
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), classicScriptForFileUrls()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome140',
    sourcemap: true,
    modulePreload: false,
    cssCodeSplit: false,
    // One bundle loaded from disk; size matters less than for the web.
    chunkSizeWarningLimit: 1_500,
    rolldownOptions: { output: { format: 'iife' } },
  },
  server: { port: 5173, strictPort: true },
});
