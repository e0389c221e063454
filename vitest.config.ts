import { defineConfig } from 'vitest/config';

// The projects mirror the runtimes: engine/store/shell code on Node, renderer
// components in jsdom (state flows also against the real engine), and end-to-end
// specs (Chromium, CLI, crash tests).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**', 'test/e2e/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          exclude: ['test/renderer/**/*.service.test.{ts,tsx}', 'node_modules/**'],
          setupFiles: ['test/renderer/setup-i18n.ts'],
          testTimeout: 30_000,
        },
      },
      {
        // Renderer state flows against the real engine (a child process, as in the app): jsdom for
        // the DOM, modules transformed for Node so the harness that starts the engine can load.
        test: {
          name: 'renderer-service',
          environment: './test/renderer/jsdom-node-environment.ts',
          include: ['test/renderer/**/*.service.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup-i18n.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Needs Electron's binary: run by `npm run test:electron` only.
        test: {
          name: 'electron',
          environment: 'node',
          include: ['test/electron-e2e/**/*.spec.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
