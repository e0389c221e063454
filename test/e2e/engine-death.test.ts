// The engine process dies while the window is open and a session streams
// (issues 14 and 15): main's real EngineSupervisor restarts it, the session
// turns interrupted without a reload, the window says the engine stopped and
// was restarted, no stream or ETA is left frozen, and Resume finishes the run.
import { expect, test } from 'vitest';
import type { NewSession } from '../../shared/ipc/sessions.ts';
import { SAMPLE_MD, SIMULATOR_PROFILE, useE2E } from './harness/e2e-app.ts';
import { until } from './harness/fixtures.ts';
import { SessionPage } from './pages/session.page.ts';
import { SessionsPage } from './pages/sessions.page.ts';

const e2e = useE2E();

test('killed while streaming: the open session turns interrupted, the window says why, Resume finishes it', async () => {
  const app = await e2e.open({
    simulator: { tokensPerSecond: 40, words: 24 },
    settings: { providers: [SIMULATOR_PROFILE], defaultProvider: 'Simulator' },
  });
  const { page, host } = app;
  const request: NewSession = { task: 'List every obligation with its deadline.', template: 'obligations', providerName: 'Simulator', documents: [SAMPLE_MD], start: true, name: 'Engine death' };
  const session = await host.request('sessions:create', request);
  const sessions = new SessionsPage(page);
  await sessions.open('Engine death');
  const view = new SessionPage(page);
  await until(async () => (await view.progress())[0] >= 2 && (await view.liveStreams.count()) > 0, 'two steps done and a stream live');

  const killedPid = host.pid;
  await host.kill();
  // No reload, no new start: the supervisor restarts the engine, and the window follows.
  await view.waitForStatus('interrupted', 30_000);
  expect(host.pid).not.toBe(killedPid);
  await view.interruptedPanel.waitFor();
  await view.engineRestartedNotice.waitFor();
  expect(await view.engineRestartedNotice.textContent()).toMatch(/engine stopped unexpectedly and was restarted.*1 session was interrupted/i);
  expect(await view.liveStreams.count()).toBe(0);
  expect(await page.locator('[data-testid="progress"] dd').last().textContent()).toBe('—'); // no ETA for a run that is not going
  expect(host.eventLog.some((e) => e.name === 'engine:restarted')).toBe(true);
  await app.screenshot('engine-died-interrupted');

  await view.interruptedPanel.getByRole('button', { name: 'Resume' }).click();
  await view.waitForStatus('done', 90_000);
  await view.report.waitFor();
  const detail = await host.request('sessions:detail', { id: session.id });
  expect(detail.session.status).toBe('done');
  expect(detail.chunks.every((c) => c.status === 'done')).toBe(true);
  expect(app.pageErrors).toEqual([]);
  expect(host.invalidEvents).toEqual([]);
});
