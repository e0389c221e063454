// Issue 8 item 7: the built renderer (dist/renderer) in Debian's Chromium, its
// `window.cairn` bridged (test/e2e/harness) to a real checkpoint store in this
// process. 20,000 tokens are emitted as `stream:text` events at 200 tokens/s
// (one event per token: the renderer's own ~50 ms batcher does the coalescing),
// then a 10,000-checkpoint timeline is scrolled. In the page, a PerformanceObserver
// counts long tasks (> 50 ms) and requestAnimationFrame records frame times.
// When Chromium or the build is missing, the figure is reported as not measured.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SettingsSchema } from '../shared/settings.ts';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { readResults, toSessionDetail } from '../electron/engine/pipeline/read-model.ts';
import { chromiumPath, launchChromium } from '../test/e2e/harness/browser.ts';
import { serveDir } from '../test/e2e/harness/static-server.ts';
import { bridgePage, type BridgeHandlers } from '../test/e2e/harness/bridge.ts';
import { longAnswerPieces, ROOT, samplePrompt, sessionConfig } from './lib/fixtures.ts';
import { type BenchContext, type BenchResult, type BenchRow, fmtMs } from './lib/report.ts';
import { percentile, round, sleep } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

const DIST = path.join(ROOT, 'dist', 'renderer');
const TOKENS_PER_SECOND = 200;

/** Installed before the app's scripts: long tasks and frame times, recorded only while `__benchRecording` is on. */
const PERF_PROBE = `(() => {
  const w = window;
  w.__bench = { longTasks: [], frames: [], recording: false };
  try {
    new PerformanceObserver((list) => {
      if (!w.__bench.recording) return;
      for (const e of list.getEntries()) w.__bench.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch (e) { w.__bench.noLongTask = String(e); }
  let last = 0;
  const tick = (t) => {
    if (w.__bench.recording && last > 0) w.__bench.frames.push(t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

interface Probe {
  longTasks: number[];
  frames: number[];
}

async function record(page: Page, on: boolean): Promise<void> {
  await page.evaluate((v: boolean) => {
    const b = (globalThis as unknown as { __bench: { recording: boolean; longTasks: number[]; frames: number[] } }).__bench;
    if (v) {
      b.longTasks = [];
      b.frames = [];
    }
    b.recording = v;
  }, on);
}

async function collect(page: Page): Promise<Probe> {
  return page.evaluate(() => {
    const b = (globalThis as unknown as { __bench: Probe }).__bench;
    return { longTasks: b.longTasks, frames: b.frames };
  });
}

function notMeasured(reason: string): BenchResult {
  const rows: BenchRow[] = [
    { benchmark: 'Renderer (Chromium)', metric: 'streaming and timeline scrolling', value: `not measured: ${reason}` },
  ];
  return { rows, keys: { uiLongTasks: null, uiFrameP95Ms: null, uiTimelineFrameP95Ms: null }, details: { renderer: { measured: false, reason } } };
}

export async function rendererSmoothness(ctx: BenchContext): Promise<BenchResult> {
  if (!existsSync(path.join(DIST, 'index.html'))) return notMeasured('dist/renderer is not built (run `npx vite build`)');
  try {
    chromiumPath();
  } catch (err) {
    return notMeasured(err instanceof Error ? err.message : String(err));
  }
  const tokens = ctx.quick ? 1_000 : 20_000;
  const timelineRows = ctx.quick ? 2_000 : 10_000;
  const scrollFrames = ctx.quick ? 120 : 600;

  return withTempDir('renderer', async (dir) => {
    const store = CheckpointStore.open({ dataDir: dir });
    const server = await serveDir(DIST);
    const browser = await launchChromium();
    try {
      const session = store.createSession({ name: 'Streaming benchmark', config: sessionConfig('http://127.0.0.1:9/v1') });
      const batch = store.database.transaction((fn: () => void) => fn());
      batch(() => {
        for (let i = 0; i < timelineRows; i += 1) {
          store.appendCheckpoint(session.id, { kind: i === 0 ? 'session' : 'map', stepKey: i === 0 ? null : `map:${i}`, state: { chunk: i }, output: i === 0 ? null : `Finding ${i}: the Supplier shall report within ${i % 30} days.` });
        }
      });
      store.updateSession(session.id, { status: 'running' });
      const settings = SettingsSchema.parse({});
      const handlers: BridgeHandlers = {
        'sessions:list': (r) => store.listSessions(r),
        'sessions:get': (r) => store.getSession(r.id),
        'sessions:detail': (r) => toSessionDetail(readResults(store, r.id)),
        'checkpoints:timeline': (r) => store.timeline(r.sessionId, { limit: r.limit, ...(r.cursor ? { cursor: r.cursor } : {}) }),
        'settings:get': () => settings,
        'app:info': () => ({ version: '0.1.0-bench', dataDir: dir, platform: process.platform, settingsWarning: null }),
        'keys:status': () => ({ stored: [], encryptionAvailable: false, backend: 'bench' }),
        'providers:list': () => ({ items: [] }),
        'backups:list': () => ({ items: store.listBackups() }),
      };
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      const bridge = await bridgePage(page, () => handlers);
      await page.addInitScript({ content: PERF_PROBE });
      await page.goto(server.url);
      await page.getByRole('button', { name: `Open session ${session.name}` }).click({ timeout: 20_000 });
      await page.getByRole('tab', { name: 'Overview' }).waitFor({ timeout: 20_000 });

      // Stream: one event per token at 200 tokens/s, on a schedule that catches up rather than drifting.
      const pieces = longAnswerPieces(samplePrompt(4_000), tokens);
      await record(page, true);
      const t0 = Date.now();
      for (let i = 0; i < pieces.length; i += 1) {
        const wait = t0 + (i * 1000) / TOKENS_PER_SECOND - Date.now();
        if (wait > 0) await sleep(wait);
        await bridge.emit('stream:text', { sessionId: session.id, stepKey: 'map:1', attempt: 0, text: pieces[i] as string, done: false });
      }
      // Proof the stream was really painted: the live block is on screen before the end is signalled.
      const shown = await page.locator('[data-testid="live-stream"]').count();
      await bridge.emit('stream:text', { sessionId: session.id, stepKey: 'map:1', attempt: 0, text: '', done: true });
      const streamSeconds = (Date.now() - t0) / 1000;
      await sleep(300);
      await record(page, false);
      const stream = await collect(page);

      // Timeline: open the tab, then scroll its virtualised list 400 px per frame.
      await page.getByRole('tab', { name: 'Timeline' }).click();
      await page.locator('[data-testid="timeline-row"]').first().waitFor({ timeout: 20_000 });
      await record(page, true);
      // A string, so this Node-typed file needs no DOM types: scroll the list 400 px per frame.
      const scrolled = (await page.evaluate(`(async () => {
        const scroller = document.querySelector('[data-testid="timeline"]');
        for (let i = 0; i < ${scrollFrames}; i += 1) {
          scroller.scrollTop += 400;
          await new Promise((r) => requestAnimationFrame(() => r(null)));
        }
        return { top: scroller.scrollTop, height: scroller.scrollHeight };
      })()`)) as { top: number; height: number };
      await record(page, false);
      const scroll = await collect(page);
      await page.close();

      const p95Stream = round(percentile(stream.frames, 95), 1);
      const p95Scroll = round(percentile(scroll.frames, 95), 1);
      const rows: BenchRow[] = [
        { benchmark: 'Renderer (Chromium)', metric: `${tokens.toLocaleString('en')} tokens sent at up to ${TOKENS_PER_SECOND} tok/s through the bridge (delivered at ${Math.round(tokens / streamSeconds)} tok/s: each send waits for the page): long tasks > 50 ms (count, longest)`, value: `${stream.longTasks.length} (${stream.longTasks.length ? fmtMs(Math.max(...stream.longTasks)) : '–'})` },
        { benchmark: 'Renderer (Chromium)', metric: `same stream: frame time p95 (${stream.frames.length} frames, ${streamSeconds.toFixed(0)} s)`, value: fmtMs(p95Stream) },
        { benchmark: 'Renderer (Chromium)', metric: `scrolling a ${timelineRows.toLocaleString('en')}-row timeline (${scrollFrames} frames, 400 px each): frame time p95, long tasks`, value: `${fmtMs(p95Scroll)}, ${scroll.longTasks.length}` },
      ];
      if (shown === 0) rows.push({ benchmark: 'Renderer (Chromium)', metric: 'warning', value: 'the live stream block was not on screen: the figures above did not exercise painting' });
      if (pageErrors.length > 0) rows.push({ benchmark: 'Renderer (Chromium)', metric: 'page errors during the run', value: pageErrors.slice(0, 3).join(' | ').slice(0, 200) });
      return {
        rows,
        keys: { uiLongTasks: stream.longTasks.length, uiFrameP95Ms: p95Stream, uiTimelineFrameP95Ms: p95Scroll },
        details: {
          renderer: {
            measured: true, chromium: chromiumPath(), tokens, tokensPerSecond: TOKENS_PER_SECOND, deliveredTokensPerSecond: round(tokens / streamSeconds, 1), streamSeconds: round(streamSeconds, 1), liveStreamsShown: shown,
            streamLongTasksMs: stream.longTasks.map((x) => round(x, 1)), streamFrames: stream.frames.length,
            timelineRows, scrollFrames, scrollLongTasksMs: scroll.longTasks.map((x) => round(x, 1)), scrolledTo: scrolled.top, scrollHeight: scrolled.height,
            pageErrors,
          },
        },
      };
    } finally {
      await browser.close();
      await server.close();
      store.close();
    }
  });
}
