// Every streamed part is its own fsync'd commit, so its physical cost is the
// number of pages it changes: each one is a WAL frame (page size + 24 bytes).
// Counting frames is deterministic where timing and /proc/self/io are not.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { MIGRATIONS } from '../../electron/store/schema.ts';
import { cleanupTempDirs, config, openStore, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const PARTS = 300;
const STEPS = 3; // parts of concurrent map steps interleave, as with concurrency > 1
const partText = (i: number): string => `${i} `.padEnd(60, 'x');

/** WAL frames added by each call of `append`, with automatic checkpoints off so the WAL only grows. */
function framesPerCommit(db: Database.Database, walFile: string, append: (i: number) => void): number[] {
  db.pragma('wal_autocheckpoint = 0');
  const frame = Number(db.pragma('page_size', { simple: true })) + 24;
  const frames: number[] = [];
  let before = fs.statSync(walFile).size;
  for (let i = 0; i < PARTS; i += 1) {
    append(i);
    const after = fs.statSync(walFile).size;
    frames.push((after - before) / frame);
    before = after;
  }
  return frames;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('the physical cost of a streamed part', () => {
  it('is at most 2 pages per append on average, and one page for most appends', () => {
    const dataDir = tempDir('wcost');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'cost', config });
    for (let k = 0; k < STEPS; k += 1) store.appendStreamPart(s.id, `map:${k}`, 1, 'first part');
    const frames = framesPerCommit(store.database, path.join(dataDir, 'cairn.db-wal'), (i) => store.appendStreamPart(s.id, `map:${i % STEPS}`, 1, partText(i)));
    expect(frames.every((f) => Number.isInteger(f) && f >= 1)).toBe(true);
    expect(mean(frames)).toBeLessThanOrEqual(2);
    // Multi-page commits are the occasional leaf split, not a per-append index or sequence page.
    expect(frames.filter((f) => f === 1).length).toBeGreaterThanOrEqual(PARTS * 0.75);
    expect(store.partial(s.id, 'map:0')?.parts).toBe(1 + PARTS / STEPS);
    store.close();
  });

  it('was 3 or more pages per append with the v1 table (the measure sees the difference)', () => {
    const dataDir = tempDir('wcost-v1');
    const v1 = CheckpointStore.open({ dataDir, migrations: MIGRATIONS.filter((m) => m.version === 1) });
    const s = v1.createSession({ name: 'cost', config });
    v1.close();
    const db = new Database(path.join(dataDir, 'cairn.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insert = db.prepare('INSERT INTO stream_parts (session_id, step_key, attempt, text, created_at) VALUES (?, ?, ?, ?, ?)');
    const append = (i: number): void => {
      db.transaction(() => insert.run(s.id, `map:${i % STEPS}`, 1, partText(i), new Date().toISOString())).immediate();
    };
    for (let k = 0; k < STEPS; k += 1) append(k);
    const frames = framesPerCommit(db, path.join(dataDir, 'cairn.db-wal'), append);
    db.close();
    expect(mean(frames)).toBeGreaterThanOrEqual(3);
  });
});
