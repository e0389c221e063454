// Issue 8 item 6 / issue 3: a data directory with 1,000 sessions and 100,000
// checkpoints (one session holds 10,000 of them): list sessions, open a
// timeline page of the big session, verify it. The store is reopened before
// measuring, so the first figure includes a cold statement cache.
import { performance } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import path from 'node:path';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { sessionConfig, zeroUsage } from './lib/fixtures.ts';
import { type BenchContext, type BenchResult, fmtBytes, fmtMs } from './lib/report.ts';
import { median, round } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

/** Page sizes the renderer asks for (renderer/state/sessions-slice.ts and timeline-slice.ts). */
const SESSIONS_PAGE = 500;
const TIMELINE_PAGE = 500;
const REPEATS = 7;

function timeIt<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

export async function listing(ctx: BenchContext): Promise<BenchResult> {
  const sessions = ctx.quick ? 100 : 1_000;
  const total = ctx.quick ? 10_000 : 100_000;
  const perSmall = Math.floor((total - (ctx.quick ? 2_000 : 10_000)) / (sessions - 1));
  // The big session takes the remainder, so the total is exact.
  const big = total - perSmall * (sessions - 1);
  return withTempDir('listing', (dir) => {
    let store = CheckpointStore.open({ dataDir: dir });
    const config = sessionConfig('http://127.0.0.1:9/v1');
    let bigId = '';
    let written = 0;
    const t0 = Date.now();
    try {
      // Setup only: the store's own appends, batched into large transactions (nested ones become savepoints) so setup takes seconds, not minutes of fsyncs.
      const batch = store.database.transaction((fn: () => void) => fn());
      for (let s = 0; s < sessions; s += 1) {
        const session = store.createSession({ name: `Contract review ${s + 1}`, config });
        const count = s === 0 ? big : perSmall;
        if (s === 0) bigId = session.id;
        for (let from = 0; from < count; from += 2_000) {
          batch(() => {
            for (let i = from; i < Math.min(count, from + 2_000); i += 1) {
              store.appendCheckpoint(session.id, {
                kind: i === 0 ? 'session' : 'map', stepKey: i === 0 ? null : `map:${i}`, state: { chunk: i },
                output: i === 0 ? null : `Session ${s}, passage ${i}: the Supplier shall report within ${i % 30} days.`, usage: zeroUsage(900, 60),
              });
              written += 1;
            }
          });
        }
      }
    } finally {
      store.close();
    }
    ctx.log(`set up ${sessions} sessions / ${written} checkpoints in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const t = performance.now();
    store = CheckpointStore.open({ dataDir: dir });
    const openMs = performance.now() - t;
    try {
      const listFirst: number[] = [];
      const listAll: number[] = [];
      const timelinePage: number[] = [];
      const timelineSecond: number[] = [];
      const verifyMs: number[] = [];
      let listed = 0;
      for (let r = 0; r < REPEATS; r += 1) {
        const first = timeIt(() => store.listSessions({ limit: SESSIONS_PAGE }));
        listFirst.push(first.ms);
        const all = timeIt(() => {
          let n = 0;
          let cursor: string | null = null;
          do {
            const page = store.listSessions({ limit: SESSIONS_PAGE, ...(cursor ? { cursor } : {}) });
            n += page.items.length;
            cursor = page.nextCursor;
          } while (cursor);
          return n;
        });
        listAll.push(all.ms);
        listed = all.value;
        const page1 = timeIt(() => store.timeline(bigId, { limit: TIMELINE_PAGE }));
        timelinePage.push(page1.ms);
        if (page1.value.total !== big) throw new Error(`listing: the big session shows ${page1.value.total} checkpoints, expected ${big}`);
        const cursor = page1.value.nextCursor;
        if (cursor) timelineSecond.push(timeIt(() => store.timeline(bigId, { limit: TIMELINE_PAGE, cursor })).ms);
        if (r < 3) {
          const v = timeIt(() => store.verify(bigId));
          verifyMs.push(v.ms);
          if (!v.value.ok) throw new Error('listing: verify reported damage in a freshly written store');
        }
      }
      if (listed !== sessions) throw new Error(`listing: listed ${listed} sessions, expected ${sessions}`);
      const dbBytes = statSync(path.join(dir, 'cairn.db')).size;
      const m = (xs: number[]) => round(median(xs), 2);
      const label = `${sessions.toLocaleString('en')} sessions / ${written.toLocaleString('en')} checkpoints (${fmtBytes(dbBytes)})`;
      return {
        rows: [
          { benchmark: 'Listing at scale', metric: `${label}: open the store (quick_check)`, value: fmtMs(openMs) },
          { benchmark: 'Listing at scale', metric: `list sessions, first page of ${SESSIONS_PAGE} (cold / median)`, value: `${fmtMs(listFirst[0] as number)} / ${fmtMs(m(listFirst))}` },
          { benchmark: 'Listing at scale', metric: `list all ${sessions.toLocaleString('en')} sessions (paginated), median`, value: fmtMs(m(listAll)) },
          { benchmark: 'Listing at scale', metric: `timeline of the ${big.toLocaleString('en')}-checkpoint session: first / next page of ${TIMELINE_PAGE}, median`, value: `${fmtMs(m(timelinePage))} / ${fmtMs(m(timelineSecond))}` },
          { benchmark: 'Listing at scale', metric: `verify that session (re-hash chain + blobs, integrity_check), median`, value: fmtMs(m(verifyMs)) },
        ],
        keys: { listSessionsMs: m(listAll), timelinePageMs: m(timelinePage), verifySessionMs: m(verifyMs) },
        details: {
          listing: {
            sessions, checkpoints: written, bigSessionCheckpoints: big, databaseBytes: dbBytes, openMs: round(openMs, 1),
            listFirstPageMs: listFirst.map((x) => round(x, 2)), listAllMs: listAll.map((x) => round(x, 2)),
            timelineFirstPageMs: timelinePage.map((x) => round(x, 2)), timelineNextPageMs: timelineSecond.map((x) => round(x, 2)),
            verifyMs: verifyMs.map((x) => round(x, 1)), sessionsPage: SESSIONS_PAGE, timelinePage: TIMELINE_PAGE,
          },
        },
      };
    } finally {
      store.close();
    }
  });
}
