// Issue 7, e2e 4: create a backup from the Backups view, lose data the way a
// user can (delete a finished session), restore the backup, see it back.
import { expect, test } from 'vitest';
import { SIMULATOR_PROFILE, useE2E } from './harness/e2e-app.ts';
import { until, writeShortContract } from './harness/fixtures.ts';
import { BackupsPage } from './pages/backups.page.ts';
import { SessionPage } from './pages/session.page.ts';
import { SessionsPage } from './pages/sessions.page.ts';

const e2e = useE2E();

test('create a backup, delete a session, restore the backup from the Backups view, the session is back', async () => {
  const app = await e2e.open({
    simulator: { tokensPerSecond: 0, words: 24 },
    settings: { providers: [SIMULATOR_PROFILE], defaultProvider: 'Simulator' },
  });
  const { page, host } = app;
  const doc = writeShortContract(app.dir);
  const ids: string[] = [];
  for (const name of ['Supply terms — obligations', 'Supply terms — risks']) {
    const s = await host.request('sessions:create', { name, task: `${name.split('— ')[1]} with citations`, template: 'custom', providerName: 'Simulator', documents: [doc], start: true });
    ids.push(s.id);
    await until(async () => (await host.request('sessions:get', { id: s.id })).status === 'done', `${name} to finish`);
  }
  const keptReport = (await host.request('sessions:detail', { id: ids[0]! })).report;
  expect(keptReport).toBeTruthy();

  const backups = new BackupsPage(page);
  await backups.goto();
  await page.getByTestId('backups-empty').waitFor();
  await backups.createNow();
  const row = backups.rows.first();
  expect(await row.textContent()).toContain('Verified');
  expect(await row.textContent()).toContain('Made by hand');
  const backupId = (await row.getAttribute('data-backup-id'))!;
  const listed = (await host.request('backups:list', {})).items.find((b) => b.id === backupId);
  expect(listed).toMatchObject({ verified: 'ok', reason: 'manual' });
  expect(listed!.sizeBytes).toBeGreaterThan(0);
  // Verify again on demand: still intact.
  await row.getByRole('button', { name: /^Verify backup of / }).click();
  await new SessionPage(page).toast('The backup is intact.').waitFor();
  expect(await row.textContent()).toContain('Verified');

  // The loss: a finished analysis deleted.
  await host.request('sessions:delete', { id: ids[0]! });
  const sessions = new SessionsPage(page);
  await sessions.goto();
  await page.locator(`[data-session-id="${ids[1]}"]`).waitFor();
  expect(await page.locator(`[data-session-id="${ids[0]}"]`).count()).toBe(0);
  expect(await sessions.rows.count()).toBe(1);

  await backups.goto();
  await backups.restore(backups.row(backupId), 'replace');
  const toast = new SessionPage(page).toast(/^Restored 2 sessions\./);
  await toast.waitFor();
  expect(await toast.textContent()).toContain('The data before the restore was backed up first.');
  // The safety backup taken before replacing is listed too.
  await until(async () => (await backups.rows.count()) >= 2, 'the safety backup in the list');
  expect((await host.request('backups:list', {})).items.some((b) => b.reason === 'before-restore')).toBe(true);
  await app.dismissToasts();
  await app.screenshot('backups-restored', 'backups');

  await sessions.goto();
  const restored = page.locator(`[data-session-id="${ids[0]}"][data-status="done"]`);
  await restored.waitFor();
  expect(await sessions.rows.count()).toBe(2);
  await sessions.open('Supply terms — obligations');
  const view = new SessionPage(page);
  await view.report.waitFor();
  expect((await host.request('sessions:detail', { id: ids[0]! })).report).toBe(keptReport);
  expect((await host.request('checkpoints:verify', {})).ok).toBe(true);
  await app.screenshot('backups-session-back');
  expect(app.pageErrors).toEqual([]);
  expect(host.invalidEvents).toEqual([]);
});
