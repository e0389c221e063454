// Issue 7, e2e 6: model output containing `<img … onerror>` and `<script>`
// (the simulator quotes the document, which carries them) is shown as text in
// the preview, the live stream, the chunk results and the report; nothing runs.
import { expect, test } from 'vitest';
import { SIMULATOR_PROFILE, useE2E } from './harness/e2e-app.ts';
import { IMG_PAYLOAD, SCRIPT_PAYLOAD, until, writeMarkupNotes } from './harness/fixtures.ts';
import { NewAnalysisPage } from './pages/new-analysis.page.ts';
import { SessionPage } from './pages/session.page.ts';

const e2e = useE2E();

/** Elements markup in model output could have created, and whether a payload ran. */
const PROBE = `({
  images: document.querySelectorAll('img').length,
  inlineScripts: Array.from(document.querySelectorAll('script')).filter((s) => !s.src).length,
  handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
  frames: document.querySelectorAll('iframe, object, embed').length,
  pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),
})`;
const CLEAN = { images: 0, inlineScripts: 0, handlers: 0, frames: 0, pwned: null };

test('<img onerror> and <script> in model output render as text and run nothing', async () => {
  const app = await e2e.open({
    simulator: { tokensPerSecond: 30, words: 60 },
    settings: { providers: [SIMULATOR_PROFILE], defaultProvider: 'Simulator' },
  });
  const { page, host } = app;
  const form = new NewAnalysisPage(page);
  await form.goto();
  host.pickQueue.push([writeMarkupNotes(app.dir)]);
  await form.addDocuments(1);
  expect(await form.previews.first().locator('blockquote').textContent()).toContain(IMG_PAYLOAD);
  await form.chooseTemplate('Custom');
  await form.setTask('List every clause and what it requires.');
  await form.runEstimate();
  await form.start();

  const view = new SessionPage(page);
  // While it streams, the markup arrives as text.
  await until(async () => /<img\/src=|<script>/.test((await view.liveOutput.textContent().catch(() => '')) ?? ''), 'markup in the live stream', 30_000);
  expect(await page.evaluate(PROBE)).toEqual(CLEAN);
  await app.screenshot('markup-streaming');

  await view.waitForStatus('done', 60_000);
  await view.report.waitFor();
  const chunk = view.chunkRows.first();
  await chunk.getByRole('button', { expanded: false }).click();
  const output = (await chunk.locator('.markdown').textContent()) ?? '';
  expect(output.includes(IMG_PAYLOAD) || output.includes(SCRIPT_PAYLOAD)).toBe(true);
  const detail = (await host.request('sessions:list', { limit: 5 })).items[0]!;
  const stored = await host.request('sessions:detail', { id: detail.id });
  const raw = stored.chunks.map((c) => c.output ?? '').join('\n');
  // Every payload the model sent is on screen verbatim, as text.
  const shown = (await page.locator('main').textContent()) ?? '';
  for (const payload of [IMG_PAYLOAD, SCRIPT_PAYLOAD]) if (raw.includes(payload)) expect(shown).toContain(payload);
  expect(await page.evaluate(PROBE)).toEqual(CLEAN);
  expect(await app.cspViolations()).toEqual([]);
  expect(app.pageErrors).toEqual([]);
  await app.screenshot('markup-as-text');

  // Control: the same markup put into the page as HTML is caught by these probes.
  await page.evaluate(`document.body.insertAdjacentHTML('beforeend', ${JSON.stringify(IMG_PAYLOAD)})`);
  await until(async () => (await app!.cspViolations()).length > 0, 'the CSP report of the injected handler', 5_000);
  expect(await page.evaluate(PROBE)).toMatchObject({ images: 1, handlers: 1, pwned: null });
});
