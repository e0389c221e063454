// Issue 7, e2e 2: SIGKILL the engine process mid-run, start it again on the
// same data, reopen the window: the interrupted banner shows, "Resume all"
// finishes the run, and the report equals that of an uninterrupted run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createAppService } from '../../electron/service/app-service.ts';
import type { NewSession } from '../../shared/ipc/sessions.ts';
import { SettingsSchema } from '../../shared/settings.ts';
import { SAMPLE_MD, SIMULATOR_PROFILE, useE2E } from './harness/e2e-app.ts';
import { until, writeShortContract } from './harness/fixtures.ts';
import { SessionPage } from './pages/session.page.ts';
import { SessionsPage } from './pages/sessions.page.ts';

const WORDS = 24;
const TASK = 'List every obligation, deadline and party responsible, with page citations.';

const e2e = useE2E();
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The same analysis, never interrupted, in its own data directory through the service directly. */
async function referenceReport(request: NewSession): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-e2e-reference-'));
  dirs.push(dir);
  const service = await createAppService({ dataDir: join(dir, 'data'), simulator: { tokensPerSecond: 0, words: WORDS } });
  try {
    service.configure({ settings: SettingsSchema.parse({}), keys: {} });
    const { id } = await service.handle('sessions:create', request);
    const done = await until(async () => {
      const s = await service.handle('sessions:get', { id });
      return s.status === 'done' ? s : s.status === 'running' || s.status === 'created' ? null : Promise.reject(new Error(`reference run ${s.status}: ${s.reason?.message}`));
    }, 'the reference run', 60_000);
    expect(done.progress.done).toBe(done.progress.total);
    const report = (await service.handle('sessions:detail', { id })).report;
    if (!report) throw new Error('the reference run has no report');
    return report;
  } finally {
    await service.shutdown();
  }
}

test('killed mid-run, restarted and reopened: interrupted banner, Resume all, same report as an uninterrupted run', async () => {
  const app = await e2e.open({
    simulator: { tokensPerSecond: 40, words: WORDS },
    settings: { providers: [SIMULATOR_PROFILE], defaultProvider: 'Simulator' },
  });
  const { page, host } = app;
  const request: NewSession = { task: TASK, template: 'obligations', providerName: 'Simulator', documents: [SAMPLE_MD], start: true };
  const reference = referenceReport(request);

  // A short analysis that finishes before the crash, so the list has more than the victim.
  const short = await host.request('sessions:create', { ...request, documents: [writeShortContract(app.dir)], name: 'Supply terms — obligations' });
  await until(async () => (await host.request('sessions:get', { id: short.id })).status === 'done', 'the short run');

  const victim = await host.request('sessions:create', { ...request, name: 'Master services agreement — obligations' });
  const sessions = new SessionsPage(page);
  await sessions.open('Master services agreement — obligations');
  const view = new SessionPage(page);
  await view.liveStreams.first().waitFor();
  // Kill while steps are done and a model call is streaming.
  await until(async () => (await view.progress())[0] >= 3 && (await view.liveStreams.count()) > 0, 'three steps done and a stream live');
  const [doneBeforeKill, total] = await view.progress();
  expect(doneBeforeKill).toBeLessThan(total);

  const killedPid = host.pid;
  await host.kill();
  await host.start();
  expect(host.pid).not.toBe(killedPid);
  await app.reload();

  await sessions.banner.waitFor();
  expect(await sessions.banner.textContent()).toContain('1 session was interrupted');
  expect(await sessions.statusOf(sessions.row('Master services agreement — obligations'))).toBe('interrupted');
  expect(await sessions.statusOf(sessions.row('Supply terms — obligations'))).toBe('done');
  await app.screenshot('kill-interrupted-banner', 'sessions');

  await sessions.resumeAll();
  await sessions.banner.waitFor({ state: 'detached' });
  await page.locator(`[data-session-id="${victim.id}"][data-status="done"]`).waitFor({ timeout: 90_000 });

  await sessions.open('Master services agreement — obligations');
  await view.report.waitFor();
  const [done, totalAfter] = await view.progress();
  expect(done).toBe(totalAfter);
  const detail = await host.request('sessions:detail', { id: victim.id });
  expect(detail.report).toBe(await reference);
  expect(detail.chunks.every((c) => c.status === 'done')).toBe(true);
  // What was committed before the crash was kept, not redone: one map checkpoint per chunk on the head's path.
  const timeline = await host.request('checkpoints:timeline', { sessionId: victim.id, limit: 5_000 });
  const maps = timeline.items.filter((r) => r.onHeadPath && r.checkpoint.kind === 'map');
  expect(new Set(maps.map((r) => r.checkpoint.stepKey)).size).toBe(maps.length);
  expect(maps.length).toBe(detail.chunks.length);
  expect((await view.report.textContent())?.replace(/\s+/g, ' ')).toContain('Findings');
  await app.screenshot('kill-resumed-done');
  expect(app.pageErrors).toEqual([]);
  expect(host.invalidEvents).toEqual([]);
});
