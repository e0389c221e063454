// Import session… in the window: a session file whose session is already here
// asks Skip or Keep both (as the CLI's --skip/--keep-both); the copy kept
// arrives done, and shows Done with its report, not Paused.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { SIMULATOR_PROFILE, useE2E } from './harness/e2e-app.ts';
import { until, writeShortContract } from './harness/fixtures.ts';
import { SessionPage } from './pages/session.page.ts';
import { SessionsPage } from './pages/sessions.page.ts';

const e2e = useE2E();
const NAME = 'Supply terms — obligations';

test('importing a session that is already here asks Skip or Keep both; the copy kept is Done with its report', async () => {
  const app = await e2e.open({
    simulator: { tokensPerSecond: 0, words: 24 },
    settings: { providers: [SIMULATOR_PROFILE], defaultProvider: 'Simulator' },
  });
  const { page, host } = app;
  const s = await host.request('sessions:create', { name: NAME, task: 'List obligations with citations', template: 'custom', providerName: 'Simulator', documents: [writeShortContract(app.dir)], start: true });
  await until(async () => (await host.request('sessions:get', { id: s.id })).status === 'done', 'the run');
  const report = (await host.request('sessions:detail', { id: s.id })).report;
  // The file Export session makes (written here by a second process on the same data, as the CLI would).
  const file = join(app.dir, 'supply.cairn.json');
  const exporter = CheckpointStore.open({ dataDir: host.dataDir });
  exporter.exportSession(s.id, file);
  exporter.close();

  const sessions = new SessionsPage(page);
  const view = new SessionPage(page);
  await sessions.goto();
  await sessions.row(NAME).waitFor();
  const ask = page.getByRole('dialog', { name: 'This session is already here' });

  host.pickQueue.push([file]);
  await page.getByRole('button', { name: 'Import session…' }).click();
  await ask.waitFor();
  expect(await ask.textContent()).toContain(`“${NAME}”`);
  await ask.getByRole('button', { name: 'Skip' }).click();
  await view.toast(`Already here as "${NAME}"; nothing was imported.`).waitFor();
  expect(await sessions.rows.count()).toBe(1);

  host.pickQueue.push([file]);
  await page.getByRole('button', { name: 'Import session…' }).click();
  await ask.getByRole('button', { name: 'Keep both' }).click();
  await view.toast(`Imported "${NAME} (imported)".`).waitFor();
  const copy = sessions.row(`${NAME} (imported)`);
  await copy.waitFor();
  expect(await sessions.statusOf(copy)).toBe('done');
  expect(await sessions.rows.count()).toBe(2);
  await sessions.open(`${NAME} (imported)`);
  await view.waitForStatus('done');
  await view.report.waitFor();
  const copyId = (await host.request('sessions:list', { limit: 10 })).items.find((x) => x.name === `${NAME} (imported)`)!.id;
  expect((await host.request('sessions:detail', { id: copyId })).report).toBe(report);
  expect(app.pageErrors).toEqual([]);
  expect(host.invalidEvents).toEqual([]);
});
