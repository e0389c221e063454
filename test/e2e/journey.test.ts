// One user's journey through the real supervisor: analyse the sample, the
// engine is killed mid-stream, the window shows it interrupted, Resume finishes
// it; on the Timeline, roll back to the chunking checkpoint, the session offers
// Resume and finishes with the same report; back it up, delete it (trash, then
// empty the trash), and restore just that session from the backup: done, with
// its report.
import { expect, test } from 'vitest';
import { SAMPLE_MD, SIMULATOR_PROFILE, useE2E } from './harness/e2e-app.ts';
import { until } from './harness/fixtures.ts';
import { BackupsPage } from './pages/backups.page.ts';
import { SessionPage } from './pages/session.page.ts';
import { SessionsPage } from './pages/sessions.page.ts';
import { TimelinePage } from './pages/timeline.page.ts';

const e2e = useE2E();
const NAME = 'Master services agreement — journey';

test('analyse, killed mid-stream, Resume; roll back to the chunks, Resume, same report; back up, delete for good, restore just it: done with its report', async () => {
  const app = await e2e.open({
    simulator: { tokensPerSecond: 40, words: 24 },
    settings: { providers: [SIMULATOR_PROFILE], defaultProvider: 'Simulator' },
  });
  const { page, host } = app;
  const session = await host.request('sessions:create', {
    name: NAME, task: 'List every obligation with its deadline, with citations.', template: 'obligations', providerName: 'Simulator', documents: [SAMPLE_MD], start: true,
  });
  const sessions = new SessionsPage(page);
  const view = new SessionPage(page);
  const controls = page.getByRole('group', { name: 'Session controls' });
  await sessions.open(NAME);
  await until(async () => (await view.progress())[0] >= 2 && (await view.liveStreams.count()) > 0, 'two steps done and a stream live');

  // The engine dies mid-stream: the window follows without a reload.
  await host.kill();
  await view.waitForStatus('interrupted', 30_000);
  await view.interruptedPanel.waitFor();
  await app.screenshot('journey-interrupted', 'journey-interrupted');
  await controls.getByRole('button', { name: 'Resume' }).click();
  await view.waitForStatus('done', 90_000);
  await view.report.waitFor();
  const report = (await host.request('sessions:detail', { id: session.id })).report;
  expect(report).toBeTruthy();
  await view.engineRestartedNotice.getByRole('button', { name: 'Dismiss engine notice' }).click();

  // Roll back to where the document was chunked: the session offers Resume, which finishes with the same report.
  await view.openTimeline();
  const timeline = new TimelinePage(page);
  await timeline.rows.first().waitFor();
  const chunksId = await timeline.select(timeline.row('chunks'));
  const dialog = await timeline.rollBackHere();
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await page.locator(`#tl-${chunksId}.tl-is-head`).waitFor();
  await app.dismissToasts();
  await view.openOverview();
  await view.waitForStatus('paused');
  await controls.getByRole('button', { name: 'Resume' }).waitFor();
  expect(await view.report.count()).toBe(0);
  await view.title.scrollIntoViewIfNeeded();
  await app.screenshot('journey-rolled-back', 'journey-rolled-back');
  await controls.getByRole('button', { name: 'Resume' }).click();
  await view.waitForStatus('done', 90_000);
  await view.report.waitFor();
  expect((await host.request('sessions:detail', { id: session.id })).report).toBe(report);

  // A backup, then the session deleted for good.
  const backups = new BackupsPage(page);
  await backups.goto();
  await backups.createNow();
  const backupId = (await backups.rows.first().getAttribute('data-backup-id'))!;
  await sessions.goto();
  const row = sessions.row(NAME);
  await row.locator('summary', { hasText: `Actions for ${NAME}` }).click();
  await row.getByRole('button', { name: 'Move to trash' }).click();
  await page.getByRole('dialog', { name: `Move "${NAME}" to the trash?` }).getByRole('button', { name: 'Move to trash' }).click();
  await row.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Trash', exact: true }).click();
  await page.getByRole('region', { name: 'Trash' }).getByRole('button', { name: 'Empty trash' }).click();
  await page.getByRole('dialog', { name: 'Empty the trash?' }).getByRole('button', { name: 'Delete for good' }).click();
  await page.getByRole('region', { name: 'Trash' }).getByText('The trash is empty.').waitFor();
  await expect(host.request('sessions:get', { id: session.id })).rejects.toThrow();

  // Restore just that session: the dialog lists what the backup holds, the deleted one marked and chosen.
  await backups.goto();
  await backups.row(backupId).getByRole('button', { name: /^Restore backup of / }).click();
  const restore = page.getByRole('dialog', { name: /^Restore the backup of / });
  const held = restore.locator(`[data-testid="backup-session"][data-session-id="${session.id}"]`);
  await held.waitFor();
  expect(await held.getAttribute('data-now')).toBe('gone');
  expect(await held.textContent()).toContain('Deleted since');
  expect(await held.getByTestId('status-badge').getAttribute('data-status')).toBe('done');
  expect(await held.getByRole('checkbox').isChecked()).toBe(true);
  await app.dismissToasts();
  await app.screenshot('journey-restore-dialog', 'journey-restore-dialog');
  await restore.getByRole('button', { name: 'Restore 1 session' }).click();
  await restore.waitFor({ state: 'detached', timeout: 30_000 });
  await view.toast('Restored 1 session.').waitFor();

  await sessions.goto();
  const back = sessions.row(`${NAME} (restored)`);
  await back.waitFor();
  expect(await sessions.statusOf(back)).toBe('done');
  await sessions.open(`${NAME} (restored)`);
  await view.waitForStatus('done');
  await view.report.waitFor();
  const restoredId = (await host.request('sessions:list', { limit: 10 })).items.find((s) => s.name === `${NAME} (restored)`)!.id;
  expect((await host.request('sessions:detail', { id: restoredId })).report).toBe(report);
  await app.dismissToasts();
  await app.screenshot('journey-restored-done', 'journey-restored-done');
  expect(app.pageErrors).toEqual([]);
  expect(host.invalidEvents).toEqual([]);
});
