// SQLite reports most file-system failures as a bare SQLITE_IOERR. When that
// happens, look at the files themselves to tell the person the real cause:
// no space left, a read-only disk, or a file they may not write.
import fs from 'node:fs';
import { StoreError, toStoreError } from './errors.ts';
import { dbPath } from './paths.ts';

export function diagnoseIoError(err: StoreError, dataDir: string, action: string): StoreError {
  if (err.code !== 'io_error') return err;
  const db = dbPath(dataDir);
  for (const target of [dataDir, db, `${db}-wal`, `${db}-shm`]) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (probe) {
      const code = typeof probe === 'object' && probe !== null && 'code' in probe ? String(probe.code) : '';
      if (code === 'ENOENT') continue;
      return toStoreError(probe, action, dataDir);
    }
  }
  const free = freeBytes(dataDir);
  if (free !== null && free < NEEDS_FREE_BYTES) {
    const full = toStoreError(Object.assign(new Error('no space left'), { code: 'ENOSPC' }), action, dataDir);
    return new StoreError('disk_full', `${full.message} ${Math.floor(free / 1024)} KiB free; Cairn needs at least ${NEEDS_FREE_BYTES / 1024} KiB there to open or change ${db} (its -shm index and write-ahead log grow first).`,
      full.hint, { cause: err });
  }
  return err;
}

/**
 * What SQLite needs before it can open a WAL database for writing: the -shm index (32 KiB) and the first
 * frames of the write-ahead log. Less than this free, a bare SQLITE_IOERR is a full disk.
 */
const NEEDS_FREE_BYTES = 64 * 1024;

function freeBytes(dir: string): number | null {
  try {
    const st = fs.statfsSync(dir);
    return st.bavail * st.bsize;
  } catch {
    // statfs is unavailable on some platforms; keep the I/O error
    return null;
  }
}
