// A damaged, cut-short or lost WAL after a crash: SQLite drops it without a
// word, so committed steps vanish. The store must notice from the commit marks
// in the stream logs, say which sessions lost which steps, keep the WAL as it
// was found and the logs that recorded the commits (byte for byte), offer the
// newest verified backup, and have verify() report it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { cleanupTempDirs, config, openStore, tempDir, usage } from './helpers.ts';

afterAll(cleanupTempDirs);

interface Image { db: Buffer; wal: Buffer; log: Buffer; logName: string; backups: string; backupId: string; sessionId: string; committed: string[] }
let image: Image;

/** A crash image: the files copied while the writer is alive, after five completed steps (their commits had returned). */
beforeAll(async () => {
  const dir = tempDir('wal-image');
  const store = openStore(dir);
  store.database.pragma('wal_autocheckpoint = 0');
  const s = store.createSession({ name: 'five steps', config });
  store.appendCheckpoint(s.id, { kind: 'session' });
  const backup = await store.createBackup({ reason: 'before the steps' });
  const committed: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    committed.push(store.completeStep(s.id, { stepKey: `map:${i}`, attempt: 0, kind: 'map', memoKey: `k${i}`, usage: usage(), output: `finding ${i} `.repeat(50) }).id);
  }
  const logName = `${s.id}.log`;
  image = {
    db: fs.readFileSync(path.join(dir, 'cairn.db')), wal: fs.readFileSync(path.join(dir, 'cairn.db-wal')),
    log: fs.readFileSync(path.join(dir, 'streams', logName)), logName, backups: path.join(dir, 'backups'), backupId: backup.id, sessionId: s.id, committed,
  };
  store.close();
});

function stage(wal: Buffer | null): string {
  const dir = tempDir('wal-damaged');
  fs.writeFileSync(path.join(dir, 'cairn.db'), image.db);
  if (wal) fs.writeFileSync(path.join(dir, 'cairn.db-wal'), wal);
  fs.mkdirSync(path.join(dir, 'streams'));
  fs.writeFileSync(path.join(dir, 'streams', image.logName), image.log);
  fs.cpSync(image.backups, path.join(dir, 'backups'), { recursive: true });
  return dir;
}

const held = (store: CheckpointStore): Set<string> => new Set(store.database.prepare('SELECT id FROM checkpoints').pluck().all() as string[]);

describe('a damaged or lost WAL', () => {
  it('the untouched crash image loses nothing and keeps no copy', () => {
    const dir = stage(image.wal);
    const store = CheckpointStore.open({ dataDir: dir });
    try {
      expect(store.commitLoss).toBeNull();
      for (const id of image.committed) expect(store.getCheckpoint(id).id).toBe(id);
      expect(store.verify().ok).toBe(true);
    } finally {
      store.close();
    }
    expect(fs.readdirSync(dir).filter((f) => f.includes('unclean'))).toEqual([]);
  });

  const flip = (at: number): Buffer => {
    const out = Buffer.from(image.wal);
    out[at] = (out[at] as number) ^ 0x5a;
    return out;
  };
  // Offsets 8-31 are the WAL header after its magic and version: page size, checkpoint sequence, salts, checksum.
  const cases: Array<[string, () => Buffer | null]> = [
    ...[8, 12, 16, 24, 31].map((at): [string, () => Buffer] => [`one byte flipped at WAL offset ${at}`, () => flip(at)]),
    ['the WAL cut short at half its length', () => image.wal.subarray(0, Math.floor(image.wal.length / 2))],
    ['the WAL lost', () => null],
  ];
  for (const [name, make] of cases) {
    it(`${name}: the lost steps are named, the evidence kept byte for byte, the backup offered, verify reports it`, () => {
      const wal = make();
      const dir = stage(wal);
      const store = CheckpointStore.open({ dataDir: dir });
      let walKept: string | null;
      try {
        const loss = store.commitLoss;
        expect(loss).not.toBeNull();
        const have = held(store);
        const missing = image.committed.filter((id) => !have.has(id));
        expect(missing.length).toBeGreaterThan(0);
        expect(loss?.lost.map((l) => l.sessionId)).toEqual([image.sessionId]);
        expect(loss?.lost[0]?.steps.map((m) => m.checkpointId)).toEqual(missing);
        expect(loss?.reason.message).toContain(image.sessionId);
        expect(loss?.reason.message).toContain('map:4');
        expect(loss?.newestBackup?.id).toBe(image.backupId);
        expect(loss?.reason.hint).toContain(image.backupId);
        walKept = loss?.walKept ?? null;
        if (wal) expect(fs.readFileSync(walKept as string).equals(wal)).toBe(true);
        else expect(walKept).toBeNull();
        expect(loss?.logsKept).toHaveLength(1);
        expect(fs.readFileSync(loss?.logsKept[0] as string).equals(image.log)).toBe(true);
        const report = store.verify();
        expect(report.ok).toBe(false);
        expect(report.damaged.map((d) => d.checkpointId)).toEqual(missing);
        expect(report.damaged[0]?.problem).toMatch(/write-ahead log/);
      } finally {
        store.close();
      }
      // Closing the store (which deletes its WAL) leaves the evidence.
      if (walKept) expect(fs.readFileSync(walKept).equals(wal as Buffer)).toBe(true);
    });
  }
});
