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

/**
 * The dev server needs React refresh's inline preamble; main already sends a
 * dev CSP header that allows it, so the page's own strict meta policy is only
 * kept in the built file.
 */
function devWithoutMetaCsp(): Plugin {
  return {
    name: 'cairn-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), classicScriptForFileUrls(), devWithoutMetaCsp()],
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
