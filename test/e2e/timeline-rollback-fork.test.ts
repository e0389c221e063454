// Issue 7, e2e 3: roll back from the timeline, then Undo; fork from a
// checkpoint with an edited task, and the fork runs to its own report.
import { expect, test } from 'vitest';
import { SAMPLE_MD, SIMULATOR_PROFILE, useE2E } from './harness/e2e-app.ts';
import { until } from './harness/fixtures.ts';
import { SessionPage } from './pages/session.page.ts';
import { SessionsPage } from './pages/sessions.page.ts';
import { TimelinePage } from './pages/timeline.page.ts';

const e2e = useE2E();

/** Kind labels of rendered timeline rows that are empty or spill out of their column. */
const CLIPPED_KINDS = `Array.from(document.querySelectorAll('[data-testid="timeline-row"]')).flatMap((row) => {
  const kind = row.querySelector('.tl-kind');
  const column = row.querySelector('.tl-tree');
  if (!kind || !column) return ['missing'];
  const k = kind.getBoundingClientRect();
  const c = column.getBoundingClientRect();
  return k.width > 0 && k.left >= c.left - 1 && k.right <= c.right + 1 ? [] : [kind.textContent];
})`;

/** Problems of the timeline layout: a column that spills out of its card, or the details panel covering the list. */
const LAYOUT_PROBLEMS = `(() => {
  const card = document.querySelector('.timeline-card').getBoundingClientRect();
  const details = document.querySelector('[aria-label="Checkpoint details"]').getBoundingClientRect();
  const problems = [];
  for (const col of document.querySelectorAll('.tl-columns > span')) {
    const r = col.getBoundingClientRect();
    if (r.right > card.right + 1) problems.push(col.textContent + ' spills out of the timeline card');
  }
  const overlap = !(details.left >= card.right || details.right <= card.left || details.top >= card.bottom || details.bottom <= card.top);
  if (overlap) problems.push('the details panel covers the timeline');
  if (details.right > window.innerWidth + 1) problems.push('the details panel runs past the window');
  const page = document.scrollingElement;
  if (page && page.scrollWidth > page.clientWidth + 1) problems.push('the page scrolls sideways');
  return problems;
})()`;

/** The vertical gaps between the cards of the session overview (cards must not touch). */
const CARD_GAPS = `(() => {
  const cards = Array.from(document.querySelectorAll('#panel-session > .card'));
  return cards.slice(1).map((c, i) => c.getBoundingClientRect().top - cards[i].getBoundingClientRect().bottom);
})()`;

const FORK_TASK = 'List every payment term and late-payment consequence, with section citations.';

test('roll back from the timeline, Undo, then fork from a checkpoint with an edited task', async () => {
  const app = await e2e.open({
    simulator: { tokensPerSecond: 0, words: 24 },
    settings: { providers: [SIMULATOR_PROFILE], defaultProvider: 'Simulator' },
  });
  const { page, host } = app;
  const original = await host.request('sessions:create', {
    name: 'Master services agreement — risks', task: 'Identify the risks and cite where each appears.', template: 'custom',
    providerName: 'Simulator', documents: [SAMPLE_MD], start: true,
  });
  const finished = await until(async () => {
    const s = await host.request('sessions:get', { id: original.id });
    return s.status === 'done' ? s : null;
  }, 'the first run', 60_000);

  const sessions = new SessionsPage(page);
  await sessions.open('Master services agreement — risks');
  const view = new SessionPage(page);
  await view.report.waitFor();
  const reportBefore = await view.report.textContent();
  const gaps = (await page.evaluate(CARD_GAPS)) as number[];
  expect(gaps.length).toBeGreaterThan(1);
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(8);
  await view.openTimeline();
  const timeline = new TimelinePage(page);
  await timeline.rows.first().waitFor();
  const total = await timeline.total();
  expect(total).toBeGreaterThan(15);
  // Every rendered row shows its kind inside its column, however long the history.
  expect(await page.evaluate(CLIPPED_KINDS)).toEqual([]);
  expect(await page.evaluate(LAYOUT_PROBLEMS)).toEqual([]);
  // A narrow window (1024×700): the details move below rather than covering the Cost and OK columns.
  await page.setViewportSize({ width: 1024, height: 700 });
  expect(await page.evaluate(LAYOUT_PROBLEMS)).toEqual([]);
  expect(await page.evaluate(CLIPPED_KINDS)).toEqual([]);
  await app.screenshot('timeline-narrow');
  await page.setViewportSize({ width: 1280, height: 800 });
  const headBefore = await timeline.head().getAttribute('data-checkpoint-id');
  expect(headBefore).toBe(finished.headId);

  // Roll back to where the document was chunked: every analysis step after it is hidden.
  const chunksRow = timeline.row('chunks');
  const chunksId = await timeline.select(chunksRow);
  await timeline.inspector.getByTestId('diff').waitFor();
  // The chunking step's output is the chunk list: shown as chunks, within the window.
  expect(await timeline.inspector.getByTestId('passage-list').textContent()).toMatch(/The document was cut into \d+ chunks \([\d.,k]+ tokens\)/);
  expect(await page.evaluate(LAYOUT_PROBLEMS)).toEqual([]);
  await app.screenshot('timeline-selected', 'timeline');
  const dialog = await timeline.rollBackHere();
  // What the rollback hides: the checkpoints from the head back to (not including) this one.
  const byId = new Map((await host.request('checkpoints:timeline', { sessionId: original.id, limit: 5_000 })).items.map((r) => [r.checkpoint.id, r.checkpoint]));
  let expectedHidden = 0;
  for (let at = byId.get(headBefore!); at && at.id !== chunksId; at = at.parentId ? byId.get(at.parentId) : undefined) expectedHidden++;
  expect(expectedHidden).toBeGreaterThan(finished.progress.total - 1); // at least every map step and the report
  expect(await dialog.textContent()).toContain(`${expectedHidden} checkpoints after this one on the current path will be hidden`);
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  const toast = view.toast(/^Rolled back:/);
  await toast.waitFor();
  expect(await toast.textContent()).toContain(`${expectedHidden} checkpoints are hidden`);
  expect(await toast.textContent()).toContain('A backup was taken first');
  await page.locator(`#tl-${chunksId}.tl-is-head`).waitFor();
  expect(await timeline.total()).toBe(total); // hidden, not deleted
  expect(await page.locator('[data-testid="timeline-row"].tl-off-path').count()).toBeGreaterThan(0);
  const rolledBack = await host.request('sessions:detail', { id: original.id });
  expect(rolledBack.session.headId).toBe(chunksId);
  expect(rolledBack.report).toBeNull();
  expect((await host.request('backups:list', {})).items.some((b) => /rollback/i.test(b.reason))).toBe(true);
  await app.screenshot('timeline-rolled-back');

  await toast.getByRole('button', { name: 'Undo' }).click();
  await view.toast('Rollback undone: the previous head is back.').waitFor();
  await page.locator(`#tl-${headBefore}.tl-is-head`).waitFor();
  expect((await host.request('sessions:get', { id: original.id })).headId).toBe(headBefore);
  await view.openOverview();
  await view.report.waitFor();
  expect(await view.report.textContent()).toBe(reportBefore);

  // Fork from the chunking checkpoint with a different task: a new session that reuses the chunks.
  await view.openTimeline();
  await timeline.rows.first().waitFor();
  await timeline.select(timeline.row('chunks'));
  await timeline.forkFromHere(FORK_TASK);
  await view.toast(/^Forked into/).waitFor();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await view.waitForStatus('done', 60_000);
  await view.report.waitFor();
  const all = (await host.request('sessions:list', { limit: 10 })).items;
  const fork = all.find((s) => s.id !== original.id);
  expect(fork?.forkOf).toEqual({ sessionId: original.id, checkpointId: chunksId });
  expect(fork?.config.task).toBe(FORK_TASK);
  const forkDetail = await host.request('sessions:detail', { id: fork!.id });
  expect(forkDetail.report).toBeTruthy();
  expect(forkDetail.report).not.toBe((await host.request('sessions:detail', { id: original.id })).report);
  // The original is untouched by the fork.
  expect((await host.request('sessions:get', { id: original.id })).headId).toBe(headBefore);
  await app.screenshot('timeline-fork-done');
  await sessions.goto();
  expect(await sessions.rows.count()).toBe(2);
  expect(app.pageErrors).toEqual([]);
  expect(host.invalidEvents).toEqual([]);
});
