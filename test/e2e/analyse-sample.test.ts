// Issue 7, e2e 1: analyse the sample agreement through the New analysis view,
// watch the live stream and the progress, finish, export Markdown.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { SAMPLE_MD, useE2E } from './harness/e2e-app.ts';
import { NewAnalysisPage } from './pages/new-analysis.page.ts';
import { SessionPage } from './pages/session.page.ts';
import { SessionsPage } from './pages/sessions.page.ts';

const e2e = useE2E();

test('analyse the sample through New analysis, with live stream and progress, then export Markdown', async () => {
  const app = await e2e.open({
    simulator: { tokensPerSecond: 40, words: 24 },
    // A fresh install: no provider configured; the built-in simulator is offered and chosen.
    settings: {},
  });
  const { page, host } = app;

  const form = new NewAnalysisPage(page);
  await form.goto();
  host.pickQueue.push([SAMPLE_MD]);
  await form.addDocuments(1);
  const preview = form.previews.first();
  expect(await preview.textContent()).toContain('master-services-agreement.md');
  expect(await preview.textContent()).toMatch(/\d+ chunks/);
  expect(await preview.locator('blockquote').textContent()).toContain('Master Services Agreement');

  await form.chooseTemplate('Obligations');
  expect(await form.task.inputValue()).toMatch(/obligation/i);
  const shownTask = await form.task.inputValue();
  expect(await form.provider.inputValue()).toBe('Simulator');
  expect(await form.startButton.isDisabled()).toBe(true); // only after an estimate
  await form.runEstimate();
  const chunks = Number(await form.estimate.locator('dt:text-is("Chunks") + dd').textContent());
  expect(chunks).toBeGreaterThan(3);
  const session = new SessionPage(page);
  await session.recordPaints();
  await form.start();

  await session.progressbar.waitFor();
  // The stream is painted as it arrives: some live text, then more of it, before the step ends.
  await session.liveStreams.first().waitFor({ timeout: 30_000 });
  const titles = new Set<string>();
  let shot = false;
  for (let i = 0; i < 200 && ((await session.paints()).progress.length < 3 || !shot); i++) {
    for (const t of await session.liveStreams.locator('h3').allTextContents()) titles.add(t);
    const [doneNow] = await session.progress();
    // The README's picture of a running session: some steps done, a model call streaming.
    if (!shot && doneNow >= 2 && (await session.liveStreams.count()) > 0) {
      await app.screenshot('analyse-running', 'running-session');
      shot = true;
    }
    await page.waitForTimeout(50);
  }
  expect(shot).toBe(true);
  const painted = await session.paints();
  // Two distinct paints before the step ends prove the text is shown as it arrives; how many more depends on the machine's load.
  expect(painted.live.length, 'the live output was painted more than once as the text arrived').toBeGreaterThanOrEqual(2);
  expect(painted.live.some((t) => t.includes('Findings'))).toBe(true);
  expect(new Set(painted.progress).size).toBeGreaterThanOrEqual(3);
  // A clean run makes one attempt per step: no stream may be labelled as a retry.
  expect([...titles].filter((t) => /attempt|retry/i.test(t))).toEqual([]);
  expect([...titles].some((t) => /^Chunk \d+/.test(t))).toBe(true);

  await session.waitForStatus('done', 90_000);
  await session.report.waitFor();
  const [done, total] = await session.progress();
  expect(done).toBe(total);
  expect(total).toBeGreaterThan(chunks);
  expect(await session.chunkRows.count()).toBe(chunks);
  expect(await session.liveOutput.count()).toBe(0); // finished streams leave the live panel

  await session.exportAs('Markdown');
  const toast = session.toast(/^Exported Markdown to /);
  await toast.waitFor();
  const savedTo = ((await toast.locator('p').first().textContent()) ?? '').replace('Exported Markdown to ', '');
  const saved = readFileSync(savedTo, 'utf8');
  const [item] = (await host.request('sessions:list', { limit: 10 })).items;
  // The task the form showed is the task the engine ran (a preset's text is the engine's own).
  expect((await host.request('sessions:get', { id: item!.id })).config.task).toBe(shownTask);
  const fresh = await host.request('sessions:export', { id: item!.id, format: 'md', save: false });
  const withoutTime = (md: string) => md.replace(/exported \S+Z/g, 'exported <time>');
  expect(withoutTime(saved)).toBe(withoutTime(fresh.content));
  expect(saved).toMatch(/^# master-services-agreement\.md/);
  const reportText = (await session.report.locator('.markdown li').first().textContent()) ?? '';
  expect(reportText.length).toBeGreaterThan(10);
  expect(saved).toContain(reportText.slice(0, 30));
  // Layout: a long path in a notification wraps inside the window; the question box spans its card.
  const toastBox = (await toast.boundingBox())!;
  expect(toastBox.x + toastBox.width).toBeLessThanOrEqual(1280);
  const question = (await page.getByRole('textbox', { name: 'Follow-up question' }).boundingBox())!;
  const card = (await page.getByRole('region', { name: 'Follow-up questions' }).boundingBox())!;
  expect(question.width).toBeGreaterThan(card.width * 0.8);
  await app.screenshot('analyse-done');

  const sessions = new SessionsPage(page);
  await sessions.goto();
  expect(await sessions.rowsWithStatus('done').count()).toBe(1);
  expect(app.pageErrors).toEqual([]);
  expect(host.invalidEvents).toEqual([]);
});
