// The physical cost of streamed parts, counted deterministically (timing and
// /proc/self/io are not): a part below the sync threshold costs exactly its
// stream-log record and no database page; a move into the database costs a few
// WAL frames (page size + 24 bytes each) for many parts; with the threshold at
// 0 every part is its own fsync'd commit, one frame or more each.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { cleanupTempDirs, config, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const PARTS = 300;
const STEPS = 3; // parts of concurrent map steps interleave, as with concurrency > 1
const partText = (i: number): string => `${i} `.padEnd(60, 'x');
/** Record header (length, crc), lsn, time, attempt, seq, key length. */
const RECORD_OVERHEAD = 8 + 8 + 8 + 4 + 4 + 2;

function open(dataDir: string, bytes: number): CheckpointStore {
  return CheckpointStore.open({ dataDir, streamSync: { fsyncBytes: 1 << 30, fsyncMs: 3_600_000, moveBytes: bytes } });
}

const size = (file: string): number => (fs.existsSync(file) ? fs.statSync(file).size : 0);

describe('the physical cost of streamed parts', () => {
  it('a part below the threshold writes its log record and nothing to the database', () => {
    const dataDir = tempDir('wcost-log');
    const store = open(dataDir, 1_000_000);
    const s = store.createSession({ name: 'cost', config });
    store.database.pragma('wal_autocheckpoint = 0');
    const wal = path.join(dataDir, 'cairn.db-wal');
    const log = path.join(dataDir, 'streams', `${s.id}.log`);
    store.appendStreamPart(s.id, 'map:0', 1, 'first part');
    const walBefore = size(wal);
    for (let i = 0; i < PARTS; i += 1) {
      const key = `map:${i % STEPS}`;
      const before = size(log);
      store.appendStreamPart(s.id, key, 1, partText(i));
      expect(size(log) - before).toBe(RECORD_OVERHEAD + key.length + partText(i).length);
    }
    expect(size(wal)).toBe(walBefore);
    expect(store.partial(s.id, 'map:0')).toMatchObject({ parts: 1 + PARTS / STEPS, attempt: 1 });
    expect(store.partial(s.id, 'map:1')?.text).toBe(Array.from({ length: PARTS / STEPS }, (_, k) => partText(k * STEPS + 1)).join(''));
    store.close();
    // Closing moved everything into the database and removed the log.
    expect(fs.existsSync(log)).toBe(false);
    const again = open(dataDir, 1_000_000);
    expect(again.partial(s.id, 'map:0')).toMatchObject({ parts: 1 + PARTS / STEPS, text: `first part${Array.from({ length: PARTS / STEPS }, (_, k) => partText(k * STEPS)).join('')}` });
    again.close();
  });

  it('a move into the database writes a few pages for many parts; one commit per part writes a page or more each', () => {
    const framesPer = (bytes: number): { commits: number; frames: number } => {
      const dataDir = tempDir('wcost-db');
      const store = open(dataDir, bytes);
      const s = store.createSession({ name: 'cost', config });
      store.database.pragma('wal_autocheckpoint = 0');
      const frame = Number(store.database.pragma('page_size', { simple: true })) + 24;
      const wal = path.join(dataDir, 'cairn.db-wal');
      for (let k = 0; k < STEPS; k += 1) store.appendStreamPart(s.id, `map:${k}`, 1, 'first part');
      let commits = 0;
      let frames = 0;
      for (let i = 0; i < PARTS; i += 1) {
        const before = size(wal);
        store.appendStreamPart(s.id, `map:${i % STEPS}`, 1, partText(i));
        const grown = size(wal) - before;
        expect(grown % frame).toBe(0);
        if (grown > 0) commits += 1;
        frames += grown / frame;
      }
      expect(store.partial(s.id, 'map:2')?.parts).toBe(1 + PARTS / STEPS);
      store.close();
      return { commits, frames };
    };
    const batched = framesPer(2_000); // about 32 parts per move
    expect(batched.commits).toBeGreaterThanOrEqual(8);
    expect(batched.commits).toBeLessThanOrEqual(10);
    // the rows (one per step, leaf splits as they fill) and the applied-lsn mark
    expect(batched.frames / batched.commits).toBeLessThanOrEqual(6);
    const everyPart = framesPer(0);
    expect(everyPart.commits).toBe(PARTS);
    expect(everyPart.frames).toBeGreaterThanOrEqual(PARTS);
    expect(everyPart.frames).toBeGreaterThan(4 * batched.frames);
  });
});
