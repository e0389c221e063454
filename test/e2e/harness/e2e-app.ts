// One e2e "app": the built renderer in Debian's Chromium (1280×800, light
// theme), its window API bridged to an AppHost whose engine is a real child
// process on a temp data directory. Also collects what must never happen:
// page errors and Content-Security-Policy violations.
import { afterAll, beforeAll } from 'vitest';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AppHost, type AppHostOptions } from './app-host.ts';
import { bridgePage, type PageBridge } from './bridge.ts';
import { launchChromium } from './browser.ts';
import { serveDir, type StaticServer } from './static-server.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** The built renderer; CAIRN_E2E_RENDERER_DIR points the suite at another build (e.g. an older one, to prove a test catches a bug). */
export const RENDERER_DIR = process.env.CAIRN_E2E_RENDERER_DIR ?? join(ROOT, 'dist', 'renderer');
export const RESULTS_DIR = join(ROOT, 'test-results');
export const README_SHOTS_DIR = join(ROOT, 'docs', 'screenshots');
export const SAMPLE_MD = join(ROOT, 'samples', 'master-services-agreement.md');

/**
 * Records Content-Security-Policy violations in the page. zod probes once
 * whether \`Function('')\` is allowed and catches the refusal; that probe is not
 * the page running anything, so it is left out.
 */
const CSP_RECORDER = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    if (e.blockedURI === 'eval' && e.sample === '') return;
    window.__cspViolations.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ': ' + e.sample);
  });
`;

export interface Shared {
  browser: Browser;
  server: StaticServer;
  close(): Promise<void>;
}

/**
 * A private copy of the built renderer, so a rebuild of dist/ during the run
 * (another `vite build`) cannot pull the page out from under a test. Retries
 * while the copy is incomplete (caught mid-build: index.html names assets
 * that are not there yet).
 */
async function snapshotRenderer(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-e2e-renderer-'));
  for (let attempt = 1; ; attempt++) {
    rmSync(dir, { recursive: true, force: true });
    try {
      cpSync(RENDERER_DIR, dir, { recursive: true });
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      const assets = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
      if (assets.length >= 2 && assets.every((a) => existsSync(join(dir, a)))) return dir;
    } catch {
      // dist/renderer was being rewritten; try again
    }
    if (attempt >= 20) throw new Error(`${RENDERER_DIR} has no complete build: run \`npx vite build\` first.`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** One browser and one static server (over a snapshot of the build) per test file. */
export async function startShared(): Promise<Shared> {
  const dir = await snapshotRenderer();
  const server = await serveDir(dir);
  const browser = await launchChromium();
  return {
    browser,
    server,
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface E2EApp {
  dir: string;
  host: AppHost;
  page: Page;
  bridge: PageBridge;
  pageErrors: string[];
  /** Loads the app again, as reopening the window does. */
  reload(): Promise<void>;
  /** CSP violations the page reported (an attempt to run or load something the policy forbids). */
  cspViolations(): Promise<string[]>;
  /** Closes every notification (for a clean screenshot). */
  dismissToasts(): Promise<void>;
  /** Saves test-results/<name>.png; with `readme` and CAIRN_UPDATE_SCREENSHOTS=1, also docs/screenshots/<readme>.png. */
  screenshot(name: string, readme?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * One browser and renderer server per test file, and the app the file opens,
 * closed after its tests: `const e2e = useE2E(); … const app = await e2e.open({...})`.
 */
export function useE2E(): { open(opts?: Omit<AppHostOptions, 'dir'> & { dir?: string }): Promise<E2EApp> } {
  let shared: Shared | null = null;
  let app: E2EApp | null = null;
  beforeAll(async () => {
    shared = await startShared();
  });
  afterAll(async () => {
    await app?.close();
    await shared?.close();
  });
  return {
    open: async (opts = {}) => {
      if (!shared) throw new Error('useE2E().open() runs inside a test, after beforeAll');
      app = await openApp(shared, opts);
      return app;
    },
  };
}

export async function openApp(shared: Shared, opts: Omit<AppHostOptions, 'dir'> & { dir?: string } = {}): Promise<E2EApp> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'cairn-e2e-'));
  const host = new AppHost({ ...opts, dir });
  await host.start();
  let context: BrowserContext | null = null;
  try {
    context = await shared.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // A string, not a function: this project's Node typings have no DOM.
    await page.addInitScript({ content: CSP_RECORDER });
    const bridge = await bridgePage(page, () => host.handlers());
    // A page that is navigating cannot take events; it reloads its state when it is back.
    host.onEvent((name, payload) => void bridge.emit(name, payload).catch(() => undefined));
    const load = async () => {
      await page.goto(shared.server.url);
      await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    };
    await load();
    const ctx = context;
    return {
      dir, host, page, bridge, pageErrors,
      reload: load,
      cspViolations: () => page.evaluate(() => (globalThis as unknown as { __cspViolations: string[] }).__cspViolations.slice()),
      dismissToasts: async () => {
        const close = page.getByRole('button', { name: 'Dismiss notification' });
        for (let i = 0; i < 10 && (await close.count()) > 0; i++) await close.first().click();
      },
      screenshot: async (name, readme) => {
        mkdirSync(RESULTS_DIR, { recursive: true });
        const file = join(RESULTS_DIR, `${name}.png`);
        await page.screenshot({ path: file });
        // README pictures change only when asked (CAIRN_UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
        if (readme && process.env.CAIRN_UPDATE_SCREENSHOTS === '1') {
          mkdirSync(README_SHOTS_DIR, { recursive: true });
          copyFileSync(file, join(README_SHOTS_DIR, `${readme}.png`));
        }
        return file;
      },
      close: async () => {
        await ctx.close();
        await host.close();
        if (ownDir) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await context?.close();
    await host.close();
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The built-in simulator as a saved provider profile (the service answers it with its own simulator). */
export const SIMULATOR_PROFILE = {
  name: 'Simulator',
  baseUrl: 'http://127.0.0.1:9/v1',
  model: 'cairn-simulator',
  headers: {},
  keySource: { kind: 'none' as const },
  simulator: true,
};
