// The desktop app end to end, in a real Electron (run by `npm run test:electron`
// wherever Electron's binary exists; scripts/test-electron.ts builds first).
// Launch with a throwaway data directory, start an analysis on the built-in
// simulator, kill the whole app mid-run, relaunch: the session shows as
// interrupted, resumes, and finishes. The page is driven through the same
// `window.cairn` bridge the renderer uses, so the spec checks the shell (window,
// preload, router, supervised engine), not the layout of the views.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CairnBridge } from '../../shared/ipc/index.ts';
import type { Session } from '../../shared/domain.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const sample = path.join(root, 'samples', 'master-services-agreement.md');
const shots = path.join(root, 'test-results', 'electron');

type Bridge = { cairn: CairnBridge };
let dataDir: string;
let app: ElectronApplication | null = null;

async function launch(): Promise<{ app: ElectronApplication; page: Page }> {
  // The package root: Electron runs package.json's main, dist-electron/main.cjs.
  const launched = await electron.launch({
    args: [root],
    cwd: root,
    env: { ...(process.env as Record<string, string>), CAIRN_DATA_DIR: dataDir, ELECTRON_ENABLE_LOGGING: '1' },
    timeout: 60_000,
  });
  const page = await launched.firstWindow();
  await page.waitForFunction(() => typeof (globalThis as unknown as Partial<Bridge>).cairn?.sessionsList === 'function');
  return { app: launched, page };
}

async function getSession(page: Page, id: string): Promise<Session> {
  const r = await page.evaluate((sid) => (globalThis as unknown as Bridge).cairn.sessionsGet({ id: sid }), id);
  if (!r.ok) throw new Error(`sessions:get failed: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-electron-e2e-'));
  fs.mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('Cairn desktop app', () => {
  test('a session interrupted by killing the app shows as interrupted after relaunch, resumes and finishes', async () => {
    let { app: first, page } = await launch();
    app = first;

    // The page is isolated: no Node, no require, only the bridge.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(page.url()).toBe('cairn://app/index.html');
    const info = await page.evaluate(() => (globalThis as unknown as Bridge).cairn.appInfo({}));
    expect(info).toMatchObject({ ok: true, value: { dataDir, settingsWarning: null } });

    const created = await page.evaluate(
      (doc) => (globalThis as unknown as Bridge).cairn.sessionsCreate({
        name: 'Electron e2e', task: 'List every obligation with its deadline', template: 'obligations',
        providerName: 'Simulator', documents: [doc], chunkTokens: 200, concurrency: 1, start: true,
      }),
      sample,
    );
    if (!created.ok) throw new Error(`sessions:create failed: ${created.error.message}`);
    const id = created.value.id;

    // Wait until at least one step is checkpointed but the run is not finished, then kill everything.
    await expect.poll(async () => (await getSession(page, id)).progress.done, { timeout: 60_000 }).toBeGreaterThan(0);
    const mid = await getSession(page, id);
    expect(mid.status).toMatch(/running|waiting/);
    expect(mid.progress.done).toBeLessThan(mid.progress.total);
    await page.screenshot({ path: path.join(shots, '1-running.png') });
    first.process().kill('SIGKILL');
    app = null;

    ({ app: first, page } = await launch());
    app = first;
    await expect.poll(async () => (await getSession(page, id)).status, { timeout: 60_000 }).toBe('interrupted');
    const interrupted = await getSession(page, id);
    expect(interrupted.progress.done).toBeGreaterThanOrEqual(mid.progress.done); // committed work survived the kill
    await page.screenshot({ path: path.join(shots, '2-interrupted.png') });

    const resumed = await page.evaluate((sid) => (globalThis as unknown as Bridge).cairn.sessionsResume({ id: sid }), id);
    expect(resumed.ok).toBe(true);
    await expect.poll(async () => (await getSession(page, id)).status, { timeout: 150_000, interval: 500 }).toBe('done');

    const detail = await page.evaluate((sid) => (globalThis as unknown as Bridge).cairn.sessionsDetail({ id: sid }), id);
    if (!detail.ok) throw new Error(detail.error.message);
    expect(detail.value.report).toBeTruthy();
    expect(detail.value.simulator).toBe(true);
    await page.screenshot({ path: path.join(shots, '3-done.png') });

    await first.close();
    app = null;
  });
});
