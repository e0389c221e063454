// Opening the database: recognise damaged, foreign and newer files before
// anything is written, then set the durability pragmas and migrate forward.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { dataDirError, StoreError, toStoreError } from './errors.ts';
import { existsFile, fileSize, fsyncDir } from './fs-safe.ts';
import { dbPath, fileStamp } from './paths.ts';
import { APPLICATION_ID, MIGRATIONS, type Migration } from './schema.ts';
import { newestVerifiedBackup } from './backup-files.ts';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
export const BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  dataDir: string;
  now: () => Date;
  migrations?: readonly Migration[];
  /** Called before a migration changes an existing database (takes the automatic backup). */
  beforeMigrate?: (db: Database.Database, fromVersion: number, toVersion: number) => void;
}

export interface OpenedDb {
  db: Database.Database;
  schemaVersion: number;
}

type Inspection =
  | { kind: 'absent' }
  | { kind: 'empty' }
  | { kind: 'ours'; version: number }
  | { kind: 'damaged'; why: string };

export function openDatabase(opts: OpenOptions): OpenedDb {
  const { dataDir } = opts;
  const migrations = opts.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const file = dbPath(dataDir);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw dataDirError(err, dataDir);
  }

  // A read-only or locked directory is reported as such before anything else tries to open files in it.
  assertWritable(dataDir, file);
  const found = inspect(file, latest);
  if (found.kind === 'damaged') {
    const movedTo = moveAside(file, opts.now(), dataDir);
    const backup = newestVerifiedBackup(dataDir);
    throw new StoreError(
      'corrupt',
      `The database ${file} could not be used (${found.why}). It was moved aside to ${movedTo}, untouched, and a new empty database will be created on the next start.`,
      backup
        ? `Restore the newest verified backup "${backup.id}" (${backup.createdAt}) from the Backups panel or with \`cairn backup restore ${backup.id}\`.`
        : 'No verified backup exists. The moved file is kept for recovery tools; nothing was deleted.',
      { movedTo, newestBackup: backup },
    );
  }

  let db: Database.Database;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw toStoreError(err, 'opening the database', dataDir);
  }
  try {
    applyPragmas(db);
    const version = Number(db.pragma('user_version', { simple: true }));
    const pending = migrations.filter((m) => m.version > version);
    if (pending.length > 0 && version > 0) opts.beforeMigrate?.(db, version, latest);
    // Migrations rebuild tables that others refer to: foreign keys are off while
    // they run (the pragma cannot change inside a transaction) and checked
    // before each one commits, as SQLite's table-rebuild procedure asks.
    if (pending.length > 0) db.pragma('foreign_keys = OFF');
    for (const m of pending) {
      db.transaction(() => {
        m.up(db);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new StoreError('corrupt', `Moving the database to schema version ${m.version} would leave ${broken.length} broken references; nothing was changed.`, 'Restore a verified backup, or keep this file and ask for help.');
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    }
    if (pending.length > 0) db.pragma('foreign_keys = ON');
    return { db, schemaVersion: Math.max(version, latest) };
  } catch (err) {
    db.close();
    throw toStoreError(err, 'preparing the database', dataDir);
  }
}

function applyPragmas(db: Database.Database): void {
  const mode = String(db.pragma('journal_mode = WAL', { simple: true }));
  if (mode.toLowerCase() !== 'wal') throw new StoreError('io_error', `The database refused write-ahead logging (journal mode ${mode}).`, 'Move the data directory to a local disk.');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // macOS's fsync does not reach the platter; F_FULLFSYNC does.
  if (process.platform === 'darwin') {
    db.pragma('fullfsync = ON');
    db.pragma('checkpoint_fullfsync = ON');
  }
}

function inspect(file: string, latest: number): Inspection {
  if (!existsFile(file)) {
    // A WAL without its database is not ours to initialise over.
    if (fileSize(`${file}-wal`) > 0) return { kind: 'damaged', why: 'a write-ahead log exists without its database file' };
    return { kind: 'absent' };
  }
  const size = fileSize(file);
  if (size === 0) {
    return fileSize(`${file}-wal`) > 0 ? { kind: 'damaged', why: 'the database file is empty but its write-ahead log is not' } : { kind: 'empty' };
  }
  const head = Buffer.alloc(16);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    throw toStoreError(err, 'reading the database', file);
  }
  if (!head.equals(SQLITE_MAGIC)) return { kind: 'damaged', why: 'it is not a SQLite database' };

  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const appId = Number(db.pragma('application_id', { simple: true }));
    const version = Number(db.pragma('user_version', { simple: true }));
    const tables = Number(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").pluck().get());
    if (appId !== APPLICATION_ID) {
      if (appId === 0 && version === 0 && tables === 0) return { kind: 'empty' };
      return { kind: 'damaged', why: 'it is a SQLite database, but not one of Cairn\'s' };
    }
    if (version > latest) {
      throw new StoreError('newer_schema',
        `The database ${file} was written by a newer version of Cairn (schema ${version}; this version reads up to ${latest}). It was not opened for writing and is untouched.`,
        'Install the newer Cairn again, or choose another data directory in Settings.');
    }
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    const result = rows.map((r) => r.quick_check).join('; ');
    if (result !== 'ok') return { kind: 'damaged', why: `quick_check: ${result.slice(0, 500)}` };
    return { kind: 'ours', version };
  } catch (err) {
    if (err instanceof StoreError) throw err;
    const mapped = toStoreError(err, 'checking the database', file);
    if (mapped.code === 'corrupt') return { kind: 'damaged', why: err instanceof Error ? err.message : String(err) };
    throw mapped;
  } finally {
    db?.close();
  }
}

function assertWritable(dataDir: string, file: string): void {
  try {
    fs.accessSync(dataDir, fs.constants.W_OK);
    if (existsFile(file)) fs.accessSync(file, fs.constants.W_OK);
    for (const side of [`${file}-wal`, `${file}-shm`]) if (existsFile(side)) fs.accessSync(side, fs.constants.W_OK);
  } catch (err) {
    throw toStoreError(err, 'opening the database for writing', dataDir);
  }
}

/** Renames the database and its -wal/-shm together; nothing is deleted. */
function moveAside(file: string, now: Date, dataDir: string): string {
  const target = `${file}.corrupt-${fileStamp(now)}`;
  try {
    for (const suffix of ['-wal', '-shm', '']) {
      if (existsFile(`${file}${suffix}`)) fs.renameSync(`${file}${suffix}`, `${target}${suffix}`);
    }
    fsyncDir(dataDir);
  } catch (err) {
    const mapped = toStoreError(err, 'moving the damaged database aside', dataDir);
    throw new StoreError('corrupt', `The database ${file} is damaged and could not be moved aside: ${mapped.message}`, mapped.hint, { cause: err });
  }
  return target;
}
