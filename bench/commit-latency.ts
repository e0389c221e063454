// Issue 3: commit latency of the store with synchronous=FULL. Each sample is
// one durable commit (the call returns only after SQLite's fsync).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { sessionConfig, zeroUsage } from './lib/fixtures.ts';
import { type BenchContext, type BenchResult, fmtMs } from './lib/report.ts';
import { percentile, round } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

export async function commitLatency(ctx: BenchContext): Promise<BenchResult> {
  const n = ctx.quick ? 100 : 1_000;
  return withTempDir('commit', (dir) => {
    const store = CheckpointStore.open({ dataDir: dir });
    try {
      const synchronous = Number(store.database.pragma('synchronous', { simple: true }));
      const journal = String(store.database.pragma('journal_mode', { simple: true }));
      const s = store.createSession({ name: 'latency', config: sessionConfig('http://127.0.0.1:9/v1') });
      const checkpoint: number[] = [];
      const part: number[] = [];
      const step: number[] = [];
      const text = 'The Supplier shall deliver the monthly service report within ten business days. ';
      for (let i = 0; i < n; i += 1) {
        let t = performance.now();
        store.appendCheckpoint(s.id, { kind: 'note', state: { i }, output: `${text}${i}` });
        checkpoint.push(performance.now() - t);
        t = performance.now();
        store.appendStreamPart(s.id, `map:${i}`, 1, text);
        part.push(performance.now() - t);
        t = performance.now();
        store.completeStep(s.id, { stepKey: `map:${i}`, attempt: 1, kind: 'map', memoKey: `bench-memo-${i}`, usage: zeroUsage(100, 20) });
        step.push(performance.now() - t);
      }
      // Per-step durable cost beside what the disk itself costs: a step completed with a 700-byte answer,
      // and a bare 700-byte insert into a plain SQLite table with the same settings (WAL, synchronous=FULL).
      const answer = text.repeat(9).slice(0, 700);
      const step700: number[] = [];
      for (let i = 0; i < n; i += 1) {
        const t = performance.now();
        store.completeStep(s.id, { stepKey: `reduce:${i}`, attempt: 1, kind: 'reduce', memoKey: `bench-memo-700-${i}`, usage: zeroUsage(100, 20), output: `${answer.slice(0, 690)} ${i}` });
        step700.push(performance.now() - t);
      }
      const bareDb = new Database(path.join(dir, 'bare.db'));
      const bare: number[] = [];
      try {
        bareDb.pragma('journal_mode = WAL');
        bareDb.pragma('synchronous = FULL');
        bareDb.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
        const insert = bareDb.prepare('INSERT INTO t (text) VALUES (?)');
        for (let i = 0; i < n; i += 1) {
          const t = performance.now();
          insert.run(`${answer.slice(0, 690)} ${i}`);
          bare.push(performance.now() - t);
        }
      } finally {
        bareDb.close();
      }
      // synchronous: 2 = FULL. Reported so a run on a different setting cannot pass unnoticed.
      const sync = synchronous === 2 ? 'FULL' : synchronous === 3 ? 'EXTRA' : synchronous === 1 ? 'NORMAL' : 'OFF';
      const p = (xs: number[], q: number) => round(percentile(xs, q), 3);
      const rows = [
        { benchmark: 'Commit latency', metric: `appendCheckpoint p50 / p99 (${n} commits, synchronous=${sync}, ${journal})`, value: `${fmtMs(p(checkpoint, 50))} / ${fmtMs(p(checkpoint, 99))}` },
        { benchmark: 'Commit latency', metric: 'appendStreamPart p50 / p99', value: `${fmtMs(p(part, 50))} / ${fmtMs(p(part, 99))}` },
        { benchmark: 'Commit latency', metric: 'completeStep (fold parts + checkpoint + memo) p50 / p99', value: `${fmtMs(p(step, 50))} / ${fmtMs(p(step, 99))}` },
        {
          benchmark: 'Commit latency',
          metric: 'completeStep with a 700-byte answer vs a bare 700-byte SQLite insert (WAL, FULL), same disk: p50 each, ratio',
          value: `${fmtMs(p(step700, 50))} vs ${fmtMs(p(bare, 50))}: ${round(percentile(step700, 50) / percentile(bare, 50), 2)}x`,
        },
      ];
      return {
        rows,
        keys: {
          commitLatencyP50Ms: p(checkpoint, 50), commitLatencyP99Ms: p(checkpoint, 99),
          perStepDurable: { completeStep700P50Ms: p(step700, 50), bareCommit700P50Ms: p(bare, 50), ratio: round(percentile(step700, 50) / percentile(bare, 50), 2) },
        },
        details: {
          commitLatency: {
            synchronous: sync, journalMode: journal, commits: n,
            appendCheckpoint: { p50: p(checkpoint, 50), p99: p(checkpoint, 99) },
            appendStreamPart: { p50: p(part, 50), p99: p(part, 99) },
            completeStep: { p50: p(step, 50), p99: p(step, 99) },
          },
        },
      };
    } finally {
      store.close();
    }
  });
}
