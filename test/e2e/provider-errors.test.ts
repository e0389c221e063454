// Issue 7, e2e 5: a 401 from the provider pauses the run with an error panel
// that names the fix (and never shows the key); a 429 with Retry-After shows
// the waiting countdown and the run then finishes.
import { afterAll, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import type { ProviderProfile } from '../../shared/domain.ts';
import { useE2E } from './harness/e2e-app.ts';
import { writeShortContract } from './harness/fixtures.ts';
import { SessionPage } from './pages/session.page.ts';
import { SessionsPage } from './pages/sessions.page.ts';

const KEY_VARIABLE = 'CAIRN_E2E_GATEWAY_KEY';
const WRONG_KEY = 'sk-e2e-wrong-0123456789';
const RETRY_AFTER_S = 4;

const e2e = useE2E();
const simulators: Simulator[] = [];
afterAll(async () => {
  for (const s of simulators) await s.close();
});

test('401: paused with an error panel that names the fix; 429 with Retry-After: countdown, then done', async () => {
  // Two OpenAI-compatible servers of our own, reached by the engine process over HTTP.
  const strict = await startSimulator({ apiKey: 'sk-e2e-right-9876543210', words: 16 });
  const busy = await startSimulator({ words: 16, faults: [{ fault: { kind: 'rate_limit', retryAfterSeconds: RETRY_AFTER_S }, times: 1 }] });
  simulators.push(strict, busy);
  const profiles: ProviderProfile[] = [
    { name: 'Team gateway', baseUrl: strict.baseURL, model: 'cairn-simulator', headers: {}, keySource: { kind: 'env', variable: KEY_VARIABLE }, simulator: false },
    { name: 'Busy gateway', baseUrl: busy.baseURL, model: 'cairn-simulator', headers: {}, keySource: { kind: 'none' }, simulator: false },
  ];
  const app = await e2e.open({ env: { [KEY_VARIABLE]: WRONG_KEY }, settings: { providers: profiles, defaultProvider: 'Team gateway' } });
  const { page, host } = app;
  const doc = writeShortContract(app.dir);
  const sessions = new SessionsPage(page);
  const view = new SessionPage(page);

  // 401
  const denied = await host.request('sessions:create', { name: 'Rejected key', task: 'List the obligations.', template: 'custom', providerName: 'Team gateway', documents: [doc], start: true });
  await sessions.open('Rejected key');
  await view.errorPanel.waitFor({ timeout: 30_000 });
  const status = await view.statusValue();
  expect(['paused', 'failed']).toContain(status);
  const panel = (await view.errorPanel.textContent()) ?? '';
  expect(panel).toMatch(/401/);
  expect(panel).toMatch(/Settings → Providers/);
  expect(panel).not.toContain(WRONG_KEY);
  expect(await page.locator('body').textContent()).not.toContain(WRONG_KEY);
  expect(strict.log.completions().length).toBeGreaterThan(0);
  // No retry loop on a rejected key: one request, one refusal.
  expect(strict.log.completions().filter((e) => e.status === 401).length).toBe(1);
  await app.screenshot('provider-401');
  const fix = view.errorPanel.getByRole('button', { name: 'Open Settings → Providers' });
  await fix.click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  expect(await page.getByText('Team gateway').first().isVisible()).toBe(true);
  expect((await host.request('sessions:get', { id: denied.id })).reason?.hint).toMatch(/Settings → Providers/);

  // 429 with Retry-After
  const limited = await host.request('sessions:create', { name: 'Rate limited', task: 'List the obligations.', template: 'custom', providerName: 'Busy gateway', documents: [doc], concurrency: 1, start: true });
  await sessions.goto();
  await sessions.open('Rate limited');
  await view.countdown.waitFor({ timeout: 30_000 });
  const readings = new Set<string>();
  for (let i = 0; i < 80 && readings.size < 2; i++) {
    const t = await view.countdown.textContent().catch(() => null);
    if (t) readings.add(t);
    if (i === 0) await app.screenshot('provider-429-waiting');
    await page.waitForTimeout(100);
  }
  expect([...readings].every((r) => /^retrying (in \d+ s|now)$/.test(r))).toBe(true);
  expect(readings.size).toBeGreaterThanOrEqual(2); // it counts down live
  const seconds = [...readings].map((r) => Number(/(\d+) s/.exec(r)?.[1] ?? 0));
  expect(Math.max(...seconds)).toBeLessThanOrEqual(RETRY_AFTER_S);
  await view.waitForStatus('done', 30_000);
  await view.report.waitFor();
  expect(await view.waitingPanel.count()).toBe(0);
  const done = await host.request('sessions:get', { id: limited.id });
  expect(done.progress.done).toBe(done.progress.total);
  const requests = busy.log.completions();
  expect(requests[0]?.status).toBe(429);
  // Retry-After was honoured: the retry came no sooner than the provider asked.
  expect(Date.parse(requests[1]!.time) - Date.parse(requests[0]!.time)).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);
  await app.screenshot('provider-429-recovered');
  expect(app.pageErrors).toEqual([]);
  expect(host.invalidEvents).toEqual([]);
});
