// Opening the database: recognise damaged, foreign and newer files before
// anything is written, then set the durability pragmas and migrate forward.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { dataDirError, StoreError, toStoreError } from './errors.ts';
import { ensurePrivateDir, existsFile, fileSize, fsyncDir, fsyncFile, makePrivate, removeQuietly } from './fs-safe.ts';
import { dbPath, fileStamp } from './paths.ts';
import { APPLICATION_ID, MIGRATIONS, type Migration } from './schema.ts';
import { newestVerifiedBackup } from './backup-files.ts';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
export const BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  dataDir: string;
  now: () => Date;
  migrations?: readonly Migration[];
  /** Called before migrations change an existing database (takes the automatic backup), with a read-only connection to it as it was. */
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
    ensurePrivateDir(dataDir);
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
    if (found.kind === 'absent') createInPlace(file, dataDir);
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw toStoreError(err, 'opening the database', dataDir);
  }
  // Before WAL mode creates its files: SQLite gives the WAL and shared-memory files the database's permissions.
  makePrivate(file);
  try {
    applyPragmas(db);
    for (const suffix of ['-wal', '-shm']) makePrivate(`${file}${suffix}`);
    const version = migrate(db, file, migrations, opts.beforeMigrate);
    return { db, schemaVersion: Math.max(version, latest) };
  } catch (err) {
    db.close();
    throw toStoreError(err, 'preparing the database', dataDir);
  }
}

/**
 * Decides and applies every pending migration inside one exclusive
 * transaction, reading `user_version` inside it: any number of processes can
 * open a new or an old data directory at once, and exactly one of them moves
 * it forward (the others wait on the lock, then find nothing left to do).
 * Returns the version found before migrating.
 */
function migrate(db: Database.Database, file: string, migrations: readonly Migration[], beforeMigrate: OpenOptions['beforeMigrate']): number {
  const readVersion = () => Number(db.pragma('user_version', { simple: true }));
  const before = readVersion();
  if (!migrations.some((m) => m.version > before)) return before;
  // Migrations rebuild tables that others refer to: foreign keys are off while
  // they run (the pragma cannot change inside a transaction) and checked
  // before the transaction commits, as SQLite's table-rebuild procedure asks.
  db.pragma('foreign_keys = OFF');
  try {
    return db.transaction(() => {
      const version = readVersion();
      const pending = migrations.filter((m) => m.version > version);
      const latest = pending[pending.length - 1]?.version;
      if (latest === undefined) return version;
      // VACUUM INTO cannot run inside a transaction: the backup reads the
      // committed (pre-migration) file through a second connection, which
      // WAL allows while this one holds the write lock.
      if (version > 0 && beforeMigrate) withReadOnly(file, (snapshot) => beforeMigrate(snapshot, version, latest));
      for (const m of pending) {
        m.up(db);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new StoreError('corrupt', `Moving the database to schema version ${m.version} would leave ${broken.length} broken references; nothing was changed.`, 'Restore a verified backup, or keep this file and ask for help.');
      }
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${latest}`);
      return version;
    }).exclusive();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

function withReadOnly<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * A new database appears under its name already in WAL mode, by a hard link
 * that fails if another process created it first (then that one is used), so
 * no process ever sees, or takes for damaged, a file another is still setting up.
 */
function createInPlace(file: string, dataDir: string): void {
  const tmp = `${file}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fresh = new Database(tmp);
    try {
      fresh.pragma('journal_mode = WAL');
    } finally {
      fresh.close();
    }
    fsyncFile(tmp);
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    fsyncDir(dataDir);
  } finally {
    for (const suffix of ['-wal', '-shm', '']) removeQuietly(`${tmp}${suffix}`);
  }
}

/** Sleeps the thread: the open is synchronous, and another process holds the lock it waits for. */
function pauseMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * SQLite answers SQLITE_BUSY at once, without its busy handler, when the
 * journal mode cannot change because another connection opened the file at
 * that moment (a file another process is switching to WAL too): retry until
 * the busy timeout.
 */
function enterWal(db: Database.Database): string {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return String(db.pragma('journal_mode = WAL', { simple: true }));
    } catch (err) {
      if (!(err instanceof Database.SqliteError) || !err.code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw err;
      pauseMs(10);
    }
  }
}

function applyPragmas(db: Database.Database): void {
  const mode = enterWal(db);
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
    // A WAL without its database is not ours to initialise over. Looked at in this order (the WAL, then the
    // database again): another process may have linked a new database in place and written to its WAL since the
    // first look, and that one is used, not moved aside.
    if (fileSize(`${file}-wal`) > 0) {
      if (existsFile(file)) return inspect(file, latest);
      return { kind: 'damaged', why: 'a write-ahead log exists without its database file' };
    }
    return { kind: 'absent' };
  }
  const size = fileSize(file);
  if (size === 0) {
    return fileSize(`${file}-wal`) > 0 ? { kind: 'damaged', why: 'the database file is empty but its write-ahead log is not' } : { kind: 'empty' };
  }
  const head = Buffer.alloc(HEADER_BYTES);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, HEADER_BYTES, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    throw toStoreError(err, 'reading the database', file);
  }
  if (!head.subarray(0, 16).equals(SQLITE_MAGIC)) return { kind: 'damaged', why: 'it is not a SQLite database' };
  // Page 1 comes from the file unless the WAL holds a newer copy (which mends the file at the next checkpoint).
  const headerWhy = fileSize(`${file}-wal`) === 0 ? damagedHeader(head) : null;
  if (headerWhy) return { kind: 'damaged', why: `its header is damaged: ${headerWhy}` };

  try {
    rollBackHotJournal(file);
  } catch (err) {
    throw toStoreError(err, 'checking the database', file);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return inspectContent(file, latest);
    } catch (err) {
      // A read-only connection cannot open a WAL file at the moment the last
      // writer closes and removes its -wal and -shm files; that passes.
      const passing = err instanceof Database.SqliteError && err.code.startsWith('SQLITE_CANTOPEN') && attempt < 50 && existsFile(file);
      if (!passing) {
        if (err instanceof StoreError) throw err;
        const mapped = toStoreError(err, 'checking the database', file);
        if (mapped.code === 'corrupt') return { kind: 'damaged', why: err instanceof Error ? err.message : String(err) };
        throw mapped;
      }
      pauseMs(20);
    }
  }
}

function inspectContent(file: string, latest: number): Inspection {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    // One read transaction: another process may be creating or migrating the file right now,
    // and its header and tables must be seen at the same moment.
    return db.transaction((): Inspection => {
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
    })();
  } finally {
    db.close();
  }
}

const HEADER_BYTES = 100;

/**
 * A rollback journal left by a power cut in the very first transaction (before the database was switched to
 * WAL) is hot: the read-only connection of the inspection cannot roll it back and would call the file
 * read-only. A read-write connection rolls it back, as SQLite does on any open.
 */
function rollBackHotJournal(file: string): void {
  if (fileSize(`${file}-journal`) === 0) return;
  const db = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
  } finally {
    db.close();
  }
}

/**
 * The header fields SQLite trusts before it reads a page (https://sqlite.org/fileformat2.html#the_database_header).
 * A write version it does not know makes SQLite open the file read-only, which would pass for a read-only disk.
 */
function damagedHeader(head: Buffer): string | null {
  const pageSize = head.readUInt16BE(16);
  if (pageSize !== 1 && (pageSize < 512 || pageSize > 32_768 || (pageSize & (pageSize - 1)) !== 0)) return `page size ${pageSize} at byte 16`;
  const writeVersion = head[18] as number;
  const readVersion = head[19] as number;
  if (writeVersion !== 1 && writeVersion !== 2) return `file format write version ${writeVersion} at byte 18 (1 or 2 expected)`;
  if (readVersion !== 1 && readVersion !== 2) return `file format read version ${readVersion} at byte 19 (1 or 2 expected)`;
  if (head[21] !== 64 || head[22] !== 32 || head[23] !== 32) return `payload fractions ${head[21]}/${head[22]}/${head[23]} at bytes 21-23 (64/32/32 expected)`;
  return null;
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
