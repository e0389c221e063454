// Store failures as values: every error that leaves the store is a StoreError
// with a code the caller can branch on and a message a person can act on.
import path from 'node:path';
import type { BackupInfo, Reason } from '../../shared/domain.ts';
import type { StoreErrorCode } from './types.ts';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly hint: string;
  /** Where a damaged database was moved, when it was. */
  readonly movedTo: string | null;
  /** The newest verified backup, offered when the database could not be used. */
  readonly newestBackup: BackupInfo | null;
  /** What the message is about, as data (e.g. the session a duplicate import matches). */
  readonly params: Readonly<Record<string, string>>;

  constructor(
    code: StoreErrorCode,
    message: string,
    hint = '',
    extra: { movedTo?: string | null; newestBackup?: BackupInfo | null; cause?: unknown; params?: Record<string, string> } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'StoreError';
    this.code = code;
    this.hint = hint;
    this.movedTo = extra.movedTo ?? null;
    this.newestBackup = extra.newestBackup ?? null;
    this.params = { ...extra.params };
  }

  /** Plain data for IPC and logs. */
  toReason(): Reason {
    const r: Reason = { code: this.code, message: this.message };
    if (this.hint) r.hint = this.hint;
    if (Object.keys(this.params).length) r.params = { ...this.params };
    return r;
  }
}

function errCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return '';
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Maps SQLite result codes and Node errno codes to a StoreError. `action` says
 * what the store was doing ("saving a checkpoint"), `place` where (the data directory).
 */
export function toStoreError(err: unknown, action: string, place: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = errCode(err);
  const detail = errMessage(err);
  const opts = { cause: err };
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    return new StoreError('disk_full', `Disk full: the disk holding ${place} has no space left while ${action}. Nothing already saved was lost.`,
      'Free some disk space (or move the data directory to a larger disk), then resume: the store continues where it stopped.', opts);
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') {
    return new StoreError('read_only', `Cairn cannot write to ${place} while ${action}: it is read-only.`,
      'Make the folder writable (or remount its disk read-write), or choose another data directory in Settings.', opts);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new StoreError('permission_denied', `Cairn could not open or create a file in ${place} while ${action}.`,
      'Check that the folder exists and that your user may read and write it (and that it is not locked or immutable), then try again.', opts);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new StoreError('permission_denied', `Permission denied on ${place} while ${action}.`,
      'Give your user read and write access to the data directory (and check it is not locked or immutable), then try again.', opts);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('busy', `The database in ${place} stayed locked by another process while ${action}.`,
      'Another Cairn window or CLI run may be writing. Wait a moment and retry.', opts);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('corrupt', `The database in ${place} is damaged (${detail}) while ${action}.`,
      'Run a verification from the Backups panel and restore the newest verified backup.', opts);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return new StoreError('io_error', `A disk read or write failed in ${place} while ${action} (${detail}).`,
      'Check the disk (cable, network share, free space), then retry: nothing already saved was lost.', opts);
  }
  if (code === 'ENOENT') {
    return new StoreError('not_found', `A file was missing in ${place} while ${action} (${detail}).`, '', opts);
  }
  return new StoreError('io_error', `Unexpected storage failure in ${place} while ${action}: ${detail}`,
    'Retry; if it persists, verify the database from the Backups panel.', opts);
}

/**
 * A file the user chose to write outside the data directory (an export) could not be written. The message
 * names that file and the fix; the code is invalid_input, because the store and its data are fine and only
 * the chosen place is not (a read_only or disk code would be read as a problem of the data directory).
 */
export function toOutputFileError(err: unknown, file: string, action: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = errCode(err);
  const folder = path.dirname(file);
  const opts = { cause: err };
  const other = 'Choose another folder to save it in.';
  if (code === 'ENOENT') return new StoreError('invalid_input', `The folder ${folder} does not exist, so ${file} could not be written while ${action}.`, `Create the folder first, or ${other.charAt(0).toLowerCase()}${other.slice(1)}`, opts);
  if (code === 'EROFS') return new StoreError('invalid_input', `${file} cannot be written while ${action}: the disk holding ${folder} is read-only.`, other, opts);
  if (code === 'EACCES' || code === 'EPERM') return new StoreError('invalid_input', `${file} cannot be written while ${action}: permission denied on ${folder}.`, `Make ${folder} writable for your user, or choose another folder.`, opts);
  if (code === 'EISDIR') return new StoreError('invalid_input', `${file} is a folder, so the file could not be written while ${action}.`, 'Give the path of a file, not a folder.', opts);
  if (code === 'ENOTDIR') return new StoreError('invalid_input', `Part of the path ${file} is a file, not a folder, so it could not be written while ${action}.`, other, opts);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') return new StoreError('invalid_input', `The disk holding ${folder} is full: ${file} could not be written while ${action}. Nothing was changed.`, `Free some space there, or ${other.charAt(0).toLowerCase()}${other.slice(1)}`, opts);
  return new StoreError('invalid_input', `${file} could not be written while ${action} (${errMessage(err)}).`, other, opts);
}

/** A file the user made read-only (no write bit for anyone) is theirs to keep: refused even where root could replace it. */
export function readOnlyFileError(file: string, action: string): StoreError {
  return new StoreError('invalid_input', `${file} is read-only, so it was not replaced while ${action}.`,
    'Choose another file name, or make the file writable if it may be replaced.');
}

/** Why a data directory could not be created, said about the directory the user chose, not about mkdir. */
export function dataDirError(err: unknown, dataDir: string): StoreError {
  const code = errCode(err);
  const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'it, or a folder on its path, is a file, not a folder'
    : code === 'ENOENT' ? 'a folder on its path cannot be created there (is the disk mounted and writable?)'
      : code === 'EROFS' ? 'it would be on a read-only disk'
        : code === 'EACCES' || code === 'EPERM' ? 'your user may not create it'
          : null;
  if (why === null) return toStoreError(err, 'creating the data directory', dataDir);
  return new StoreError('data_dir_unusable', `Cairn cannot use ${dataDir} as its data directory: ${why}.`,
    'Choose another data directory in Settings.', { cause: err });
}
