// The committed v1 database (test/fixtures/store/v1.db) must keep opening in
// every later version: migrated forward after an automatic backup, with its
// sessions, memo, fork and interrupted stream parts intact and usable.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { backupFile } from '../../electron/store/paths.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/store/schema.ts';
import { cleanupTempDirs, config, openStore, tempDir, usage } from './helpers.ts';

afterEach(cleanupTempDirs);

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'store', 'v1.db');

function readOnly<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const streamPartsSql = (db: Database.Database): string =>
  String(db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'stream_parts'").pluck().get());

describe('the v1 fixture database', () => {
  it('is still a v1 file (regenerating it with newer code would make the migration tests meaningless)', () => {
    readOnly(FIXTURE, (db) => {
      expect(Number(db.pragma('user_version', { simple: true }))).toBe(1);
      expect(streamPartsSql(db)).toMatch(/id INTEGER PRIMARY KEY AUTOINCREMENT/);
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'stream_parts_by_step'").pluck().get()).toBe('stream_parts_by_step');
      expect(db.prepare('SELECT step_key, attempt, text FROM stream_parts').all()).toEqual([{ step_key: 'map:1', attempt: 0, text: 'interrupted partial' }]);
    });
  });

  it('migrates to the current schema after a verified v1 backup, keeping sessions, partials, memo and fork', () => {
    const dataDir = tempDir('v1');
    fs.copyFileSync(FIXTURE, path.join(dataDir, 'cairn.db'));
    const store = openStore(dataDir);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(Number(store.database.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);

    // The automatic backup holds the untouched v1 database.
    const backups = store.listBackups();
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ reason: 'before-migration', schemaVersion: 1, verified: 'ok' });
    readOnly(backupFile(dataDir, backups[0]?.id as string), (db) => {
      expect(Number(db.pragma('user_version', { simple: true }))).toBe(1);
      expect(streamPartsSql(db)).toMatch(/AUTOINCREMENT/);
    });

    const sessions = store.listSessions().items;
    expect(sessions.map((s) => s.name).sort()).toEqual(['Fixture fork', 'Fixture v1']);
    const original = sessions.find((s) => s.name === 'Fixture v1');
    const sid = original?.id as string;
    expect(store.headPath(sid).map((c) => c.kind)).toEqual(['session', 'map']);
    expect(store.partial(sid, 'map:1')).toMatchObject({ attempt: 0, text: 'interrupted partial', parts: 1 });
    expect(store.memoGet('fixture-memo-0')?.output).toBe('The supplier must deliver within 30 days.');
    expect(store.verify().ok).toBe(true);

    // The migrated partial keeps streaming after its last part and folds into one blob.
    store.appendStreamPart(sid, 'map:1', 0, ', resumed');
    expect(store.partial(sid, 'map:1')).toMatchObject({ text: 'interrupted partial, resumed', parts: 2 });
    const cp = store.completeStep(sid, { stepKey: 'map:1', attempt: 0, kind: 'map', memoKey: 'fixture-memo-1', usage: usage() });
    expect(store.getBlob(cp.outputHash as string)).toBe('interrupted partial, resumed');
    expect(store.partial(sid, 'map:1')).toBeNull();
    expect(store.verify().ok).toBe(true);
    store.close();

    // Opening again migrates nothing and takes no second backup.
    const again = openStore(dataDir);
    expect(again.listBackups()).toHaveLength(1);
    expect(again.headPath(sid).map((c) => c.kind)).toEqual(['session', 'map', 'map']);
    again.close();
  });

  it('migrates v1 stream parts of several steps and attempts in their append order', () => {
    const dataDir = tempDir('v1-parts');
    const v1 = CheckpointStore.open({ dataDir, migrations: MIGRATIONS.filter((m) => m.version === 1) });
    const s = v1.createSession({ name: 'parts', config });
    v1.close();
    // Written as v1 code wrote them: interleaved ids across steps and attempts.
    const db = new Database(path.join(dataDir, 'cairn.db'));
    const insert = db.prepare('INSERT INTO stream_parts (session_id, step_key, attempt, text, created_at) VALUES (?, ?, ?, ?, ?)');
    const rows: Array<[string, number, string]> = [
      ['map:0', 0, 'old '], ['map:1', 0, 'B1 '], ['map:0', 1, 'A1 '], ['map:0', 0, 'attempt'], ['map:1', 0, 'B2'], ['map:0', 1, 'A2 '], ['map:0', 1, 'A3'],
    ];
    rows.forEach(([step, attempt, text], i) => insert.run(s.id, step, attempt, text, `2025-01-15T09:00:0${i}.000Z`));
    db.close();

    const store = openStore(dataDir);
    expect(store.partial(s.id, 'map:0')).toMatchObject({ attempt: 1, text: 'A1 A2 A3', parts: 3, updatedAt: '2025-01-15T09:00:06.000Z' });
    expect(store.partial(s.id, 'map:1')).toMatchObject({ attempt: 0, text: 'B1 B2', parts: 2 });
    const seqs = store.database.prepare("SELECT attempt, seq FROM stream_parts WHERE step_key = 'map:0' ORDER BY attempt, seq").all();
    expect(seqs).toEqual([{ attempt: 0, seq: 0 }, { attempt: 0, seq: 1 }, { attempt: 1, seq: 0 }, { attempt: 1, seq: 1 }, { attempt: 1, seq: 2 }]);
    store.appendStreamPart(s.id, 'map:0', 1, ' A4');
    const cp = store.completeStep(s.id, { stepKey: 'map:0', attempt: 1, kind: 'map', memoKey: 'parts-0', usage: usage() });
    expect(store.getBlob(cp.outputHash as string)).toBe('A1 A2 A3 A4');
    // Attempt 0 is superseded with it; the other step's parts stay.
    expect(store.partial(s.id, 'map:0')).toBeNull();
    expect(store.partial(s.id, 'map:1')?.text).toBe('B1 B2');
    expect(store.verify().ok).toBe(true);
    store.close();
  });
});
