// Issue 2: the built renderer loads in Chromium with the bridged window API
// and shows the app shell with the empty sessions screen.
import { expect, test } from 'vitest';
import { useE2E } from './harness/e2e-app.ts';
import { SessionsPage } from './pages/sessions.page.ts';

const e2e = useE2E();

test('the built renderer shows the empty sessions screen over the bridged API', async () => {
  const app = await e2e.open();
  const sessions = new SessionsPage(app.page);
  await sessions.emptyState.waitFor();
  expect(await sessions.emptyState.getByRole('heading', { name: 'No analyses yet' }).isVisible()).toBe(true);
  const nav = app.page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Sessions', 'New analysis', 'Backups', 'Settings']) {
    expect(await nav.getByRole('button', { name: label }).isVisible()).toBe(true);
  }
  // The page reached the real engine through the bridge: its list came from the store.
  expect(app.bridge.calls.map((c) => c.channel)).toContain('sessions:list');
  expect(await app.page.evaluate(() => Object.keys((globalThis as unknown as { cairn: object }).cairn).includes('sessionsList'))).toBe(true);
  // The light theme follows the OS setting the context emulates.
  const bg = await app.page.evaluate('getComputedStyle(document.body).backgroundColor');
  expect(bg).toMatch(/rgb\((2[3-5]\d), (2[3-5]\d), (2[3-5]\d)\)/);
  await app.screenshot('app-shell');
  expect(app.pageErrors).toEqual([]);
  expect(await app.cspViolations()).toEqual([]);
});
