// Every file name the store uses is built here, from the data directory the
// caller chose and from names validated by a strict pattern. Nothing else
// joins paths, so no outside string (an id, a backup name) can reach `..`.
import path from 'node:path';
import { BackupInfoSchema } from '../../shared/domain.ts';
import { parseId } from './ids.ts';
import { StoreError } from './errors.ts';

export const DB_FILE = 'cairn.db';

export function dbPath(dataDir: string): string {
  return path.join(dataDir, DB_FILE);
}

export function backupsDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

/** Backup ids come from the UI and the CLI: only this shape is ever joined to a path. */
export function parseBackupId(raw: unknown): string {
  const result = BackupInfoSchema.shape.id.safeParse(raw);
  if (!result.success || typeof raw !== 'string' || raw.startsWith('.') || raw.includes('..')) {
    throw new StoreError('invalid_id', 'Not a valid backup id.', 'Pick a backup from the list in the Backups panel.');
  }
  return result.data;
}

export function backupFile(dataDir: string, id: string): string {
  return path.join(backupsDir(dataDir), `${parseBackupId(id)}.db`);
}

export function backupSidecar(dataDir: string, id: string): string {
  return path.join(backupsDir(dataDir), `${parseBackupId(id)}.json`);
}

export function streamLogsDir(dataDir: string): string {
  return path.join(dataDir, 'streams');
}

/** The stream log of a session (stream-log.ts); the id is checked again here because it names a file. */
export function streamLogFile(dataDir: string, sessionId: string): string {
  return path.join(streamLogsDir(dataDir), `${parseId(sessionId, 'session id')}.log`);
}

/** A file-name-safe UTC time: 2025-01-31T12-00-00-123Z. */
export function fileStamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}
