// SQLite reports most file-system failures as a bare SQLITE_IOERR. When that
// happens, look at the files themselves to tell the person the real cause:
// no space left, a read-only disk, or a file they may not write.
import fs from 'node:fs';
import { toStoreError, type StoreError } from './errors.ts';
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
  try {
    if (fs.statfsSync(dataDir).bavail === 0) return toStoreError(Object.assign(new Error('no space left'), { code: 'ENOSPC' }), action, dataDir);
  } catch {
    // statfs is unavailable on some platforms; keep the I/O error
  }
  return err;
}
