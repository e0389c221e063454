// Renderer build: the sandboxed page is loaded from disk (file://), so asset
// paths are relative and nothing is fetched from a network (the CSP forbids it).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome140',
    sourcemap: true,
    // One bundle loaded from disk; size matters less than for the web.
    chunkSizeWarningLimit: 1_500,
  },
  server: { port: 5173, strictPort: true },
});
