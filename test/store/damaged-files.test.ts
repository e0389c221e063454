import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { StoreError } from '../../electron/store/errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/store/schema.ts';
import { cleanupTempDirs, config, openStore, tempDir, usage } from './helpers.ts';

afterAll(cleanupTempDirs);

const sha = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');
let seed = 42;
const rand = (n: number): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return Math.floor((seed / 2_147_483_648) * n);
};

let image: { db: Buffer; wal: Buffer; backupsDir: string; backupId: string };

/** A crash image: the database and its WAL copied while the writer is mid-life, plus a verified backup. */
beforeAll(async () => {
  const dir = tempDir('image');
  const store = openStore(dir);
  store.database.pragma('wal_autocheckpoint = 0');
  const s = store.createSession({ name: 'precious', config });
  store.appendCheckpoint(s.id, { kind: 'session', output: 'root text '.repeat(2_000) });
  const backup = await store.createBackup({ reason: 'before damage' });
  for (let i = 0; i < 40; i += 1) {
    store.completeStep(s.id, { stepKey: `map:${i}`, attempt: 0, kind: 'map', memoKey: `k${i}`, usage: usage(), output: `finding ${i} `.repeat(200) });
  }
  image = { db: fs.readFileSync(path.join(dir, 'cairn.db')), wal: fs.readFileSync(path.join(dir, 'cairn.db-wal')), backupsDir: path.join(dir, 'backups'), backupId: backup.id };
  store.close();
  expect(image.wal.length).toBeGreaterThan(0);
});

function stage(db: Buffer | string, wal: Buffer | null): string {
  const dir = tempDir('damaged');
  fs.writeFileSync(path.join(dir, 'cairn.db'), db);
  if (wal) fs.writeFileSync(path.join(dir, 'cairn.db-wal'), wal);
  fs.cpSync(image.backupsDir, path.join(dir, 'backups'), { recursive: true });
  return dir;
}

function flip(buf: Buffer, count: number): Buffer {
  const out = Buffer.from(buf);
  for (let i = 0; i < count; i += 1) {
    const at = rand(out.length);
    out[at] = (out[at] as number) ^ (1 + rand(255));
  }
  return out;
}

/** Either a consistent store or a clear corruption report with the files moved aside intact. */
async function openDamaged(dir: string, original: { db: Buffer | string; wal: Buffer | null }): Promise<'opened' | 'moved'> {
  try {
    const store = CheckpointStore.open({ dataDir: dir });
    try {
      const report = store.verify();
      expect(typeof report.ok).toBe('boolean');
      if (!report.ok) expect(report.damaged.length > 0 || report.integrityCheck !== 'ok').toBe(true);
      // whatever survived, new work can be saved
      const s = store.createSession({ name: 'after damage', config });
      expect(store.appendCheckpoint(s.id, { kind: 'session' }).sessionId).toBe(s.id);
    } finally {
      store.close();
    }
    return 'opened';
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    const e = err as StoreError;
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/moved aside/);
    expect(e.newestBackup?.id).toBe(image.backupId);
    expect(e.hint).toContain(image.backupId);
    const moved = e.movedTo as string;
    expect(sha(fs.readFileSync(moved))).toBe(sha(Buffer.from(original.db)));
    if (original.wal) expect(sha(fs.readFileSync(`${moved}-wal`))).toBe(sha(original.wal));
    expect(fs.existsSync(path.join(dir, 'cairn.db'))).toBe(false);
    // the next start gets an empty store from which the offered backup restores
    const fresh = CheckpointStore.open({ dataDir: dir });
    try {
      await fresh.restoreBackup(image.backupId, 'replace');
      expect(fresh.getSession(fresh.listSessions().items[0]?.id as string).name).toBe('precious');
    } finally {
      fresh.close();
    }
    return 'moved';
  }
}

const outcomes: string[] = [];

describe('damaged database files', () => {
  afterAll(() => console.log(outcomes.join('\n')));
  const cases: Array<[string, () => { db: Buffer | string; wal: Buffer | null }]> = [
    ['the untouched crash image', () => ({ db: image.db, wal: image.wal })],
    ...[0.1, 0.5, 0.9].map((f): [string, () => { db: Buffer; wal: Buffer | null }] => [`database truncated at ${f * 100}%`, () => ({ db: image.db.subarray(0, Math.floor(image.db.length * f)), wal: image.wal })]),
    ...[0.05, 0.5, 0.95].map((f): [string, () => { db: Buffer; wal: Buffer | null }] => [`WAL truncated at ${f * 100}%`, () => ({ db: image.db, wal: image.wal.subarray(0, Math.floor(image.wal.length * f)) })]),
    ...[1, 2, 3, 4].map((n): [string, () => { db: Buffer; wal: Buffer | null }] => [`random bytes flipped in the database (#${n})`, () => ({ db: flip(image.db, 8 * n), wal: image.wal })]),
    ...[1, 2].map((n): [string, () => { db: Buffer; wal: Buffer | null }] => [`random bytes flipped in the WAL (#${n})`, () => ({ db: image.db, wal: flip(image.wal, 8 * n) })]),
    ['database tail zeroed', () => ({ db: Buffer.concat([image.db.subarray(0, image.db.length - 8_192), Buffer.alloc(8_192)]), wal: null })],
    ['an empty database file', () => ({ db: Buffer.alloc(0), wal: null })],
    ['an empty database file with a WAL', () => ({ db: Buffer.alloc(0), wal: image.wal })],
    ['garbage', () => ({ db: Buffer.from(Array.from({ length: 9_000 }, () => rand(256))), wal: null })],
    ['a JSON file named like the database', () => ({ db: '{"sessions": []}\n', wal: null })],
  ];
  for (const [name, make] of cases) {
    it(`${name}: consistent or reported and moved aside, nothing deleted`, async () => {
      const original = make();
      const dir = stage(original.db, original.wal);
      const outcome = await openDamaged(dir, original);
      expect(['opened', 'moved']).toContain(outcome);
      if (name === 'the untouched crash image' || name.startsWith('WAL truncated') || name === 'an empty database file') expect(outcome).toBe('opened');
      if (name === 'garbage' || name.startsWith('a JSON') || name === 'an empty database file with a WAL') expect(outcome).toBe('moved');
      outcomes.push(`${name}: ${outcome}`);
    });
  }

  // Bytes 16-23 of the header: page size, write and read versions, reserved space, payload fractions.
  // SQLite opens a file whose write version it does not know as read-only, which used to pass for a
  // read-only disk; a value no Cairn database can hold is damage.
  for (const [offset, label] of [[18, 'write version'], [19, 'read version'], [21, 'max payload fraction'], [16, 'page size']] as const) {
    it(`a damaged header byte ${offset} (${label}) is reported as damage and moved aside, with the backup offered`, async () => {
      const db = Buffer.from(image.db);
      db[offset] = (db[offset] as number) ^ 0xff;
      // As after a clean close: no WAL, so page 1 is read from the file (a WAL holding page 1 would mend it).
      const dir = stage(db, null);
      expect(await openDamaged(dir, { db, wal: null })).toBe('moved');
    });
  }

  it('a foreign SQLite database is moved aside, not adopted', async () => {
    const dir = tempDir('foreign');
    const foreign = new Database(path.join(dir, 'cairn.db'));
    foreign.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY); INSERT INTO photos VALUES (1)');
    foreign.close();
    const bytes = fs.readFileSync(path.join(dir, 'cairn.db'));
    expect(() => CheckpointStore.open({ dataDir: dir })).toThrow(/not one of Cairn's/);
    const moved = fs.readdirSync(dir).find((f) => f.startsWith('cairn.db.corrupt-')) as string;
    expect(sha(fs.readFileSync(path.join(dir, moved)))).toBe(sha(bytes));
  });
});

describe('schema versions', () => {
  it('a database from a newer schema yields newer_schema and is left untouched', () => {
    const dir = tempDir('newer');
    openStore(dir).close();
    const file = path.join(dir, 'cairn.db');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = sha(fs.readFileSync(file));
    const names = fs.readdirSync(dir).sort();
    let caught: unknown = null;
    try {
      CheckpointStore.open({ dataDir: dir });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).code).toBe('newer_schema');
    expect((caught as StoreError).message).toMatch(/newer version of Cairn/);
    expect(sha(fs.readFileSync(file))).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual(names);
  });

  it('migrates the current schema forward after an automatic backup (with a test-only next version)', () => {
    const dir = tempDir('migrate');
    const current = openStore(dir);
    const s = current.createSession({ name: 'current data', config });
    current.appendCheckpoint(s.id, { kind: 'session', output: 'kept' });
    current.close();
    const next = SCHEMA_VERSION + 1;
    const v2 = CheckpointStore.open({
      dataDir: dir,
      migrations: [
        ...MIGRATIONS.map((m) => ({ version: m.version, up: () => { throw new Error(`v${m.version} must not run again`); } })),
        { version: next, up: (db) => db.exec('CREATE TABLE tags (session_id TEXT NOT NULL, tag TEXT NOT NULL) STRICT') },
      ],
    });
    expect(v2.schemaVersion).toBe(next);
    expect(Number(v2.database.pragma('user_version', { simple: true }))).toBe(next);
    expect(v2.getSession(s.id).name).toBe('current data');
    const backup = v2.listBackups()[0];
    expect(backup).toMatchObject({ reason: 'before-migration', schemaVersion: SCHEMA_VERSION, verified: 'ok' });
    v2.close();
  });
});
