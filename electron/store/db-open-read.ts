// Opening a database Cairn may not write: a read-only data directory (a
// `chmod -R a-w`, a disk mounted read-only, a folder another user owns) or a
// full disk. Reading needs no lease, no migration and no byte written, so the
// store opens the file read-only and refuses writes with the reason it could
// not open for writing (checkpoint-store.ts).
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { StoreError, toStoreError } from './errors.ts';
import { existsFile, fileSize } from './fs-safe.ts';
import { dbPath } from './paths.ts';
import { APPLICATION_ID } from './schema.ts';
import { BUSY_TIMEOUT_MS, type OpenedDb } from './db-open.ts';

/**
 * Write failures after which reading may still work: a full disk, or a folder or database file this user
 * truly cannot write (SQLite also says "read-only" of a hot journal a read-only connection cannot roll back).
 */
export function canStillRead(err: StoreError, dataDir: string): boolean {
  if (err.code === 'disk_full') return true;
  if (err.code !== 'read_only' && err.code !== 'permission_denied') return false;
  const file = dbPath(dataDir);
  try {
    fs.accessSync(dataDir, fs.constants.W_OK);
    if (existsFile(file)) fs.accessSync(file, fs.constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

/**
 * Opens `<dataDir>/cairn.db` for reading only. `whyNotWritable` is the error the
 * writable open gave; it is thrown again, with what reading would have needed,
 * when reading is impossible too.
 */
export function openDatabaseForReading(dataDir: string, latest: number, whyNotWritable: StoreError): OpenedDb {
  const file = dbPath(dataDir);
  const wal = `${file}-wal`;
  if (!existsFile(file)) throw whyNotWritable;
  const walPending = fileSize(wal) > 0;
  if (walPending && !existsFile(`${file}-shm`)) {
    // The WAL holds committed steps that only a recovery (which writes the -shm index) can read.
    throw new StoreError(whyNotWritable.code,
      `${whyNotWritable.message} Reading it needs a recovery of its write-ahead log ${wal}, which writes a small index file beside it.`,
      whyNotWritable.hint, { cause: whyNotWritable });
  }
  let db: Database.Database;
  try {
    db = walPending ? new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS }) : openImage(file);
  } catch (err) {
    throw readFailure(err, whyNotWritable, dataDir);
  }
  try {
    if (Number(db.pragma('application_id', { simple: true })) !== APPLICATION_ID) {
      throw new StoreError('corrupt', `The database ${file} is not one of Cairn's; it was left as it is (the folder cannot be written).`,
        'Choose another data directory, or make this one writable so Cairn can move the file aside.');
    }
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > latest) {
      throw new StoreError('newer_schema', `The database ${file} was written by a newer version of Cairn (schema ${version}; this version reads up to ${latest}). It is untouched.`,
        'Install the newer Cairn again, or choose another data directory in Settings.');
    }
    if (version < latest) {
      throw new StoreError(whyNotWritable.code, `${whyNotWritable.message} The database ${file} has schema ${version} and must be moved to schema ${latest} before this version can read it, which writes to it.`,
        whyNotWritable.hint, { cause: whyNotWritable });
    }
    const check = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check).join('; ');
    if (check !== 'ok') {
      throw new StoreError('corrupt', `The database ${file} is damaged (quick_check: ${check.slice(0, 500)}). It was left as it is: the folder cannot be written.`,
        'Make the folder writable so Cairn can move the file aside, then restore the newest verified backup.');
    }
    db.pragma('foreign_keys = ON');
    return { db, schemaVersion: version };
  } catch (err) {
    db.close();
    throw readFailure(err, whyNotWritable, dataDir);
  }
}

/**
 * A WAL-mode database with no WAL to read, in a folder where SQLite cannot create its -shm index (and this
 * build of SQLite takes no `immutable=1` URI): the file is read into memory and opened from there. Nobody can
 * be writing it (the folder or disk refuses writes), so the copy is the database. Its header is marked as a
 * rollback-journal database in the copy only, because an in-memory database cannot use a WAL.
 */
function openImage(file: string): Database.Database {
  const image = fs.readFileSync(file);
  if (image.length >= 20) {
    image[18] = 1;
    image[19] = 1;
  }
  return new Database(image, { readonly: true });
}

function readFailure(err: unknown, whyNotWritable: StoreError, dataDir: string): StoreError {
  if (err instanceof StoreError) return err;
  const mapped = toStoreError(err, 'opening the database for reading', dataDir);
  // A file SQLite could not open or read even read-only: the write refusal is still the first thing to fix.
  if (mapped.code === 'corrupt') return mapped;
  return new StoreError(whyNotWritable.code, `${whyNotWritable.message} Reading it failed too: ${mapped.message}`, whyNotWritable.hint, { cause: err });
}
