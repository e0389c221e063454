// Backup files on disk: `<id>.db` plus a small `<id>.json` sidecar. These
// functions need no open store, so a damaged live database can still list and
// offer its backups.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { BackupInfoSchema, type BackupInfo } from '../../shared/domain.ts';
import { backupFile, backupSidecar, backupsDir, parseBackupId } from './paths.ts';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema.ts';
import { fileSize, PRIVATE_FILE_MODE, writeFileAtomic } from './fs-safe.ts';

const SidecarSchema = z.strictObject({
  format: z.literal('cairn-backup'),
  info: BackupInfoSchema,
});

export function writeSidecar(dataDir: string, info: BackupInfo): void {
  writeFileAtomic(backupSidecar(dataDir, info.id), `${JSON.stringify({ format: 'cairn-backup', info }, null, 2)}\n`, PRIVATE_FILE_MODE);
}

function readSidecar(dataDir: string, id: string): BackupInfo | null {
  try {
    const parsed = SidecarSchema.safeParse(JSON.parse(fs.readFileSync(backupSidecar(dataDir, id), 'utf8')));
    return parsed.success && parsed.data.info.id === id ? parsed.data.info : null;
  } catch {
    return null;
  }
}

/** Newest first. A backup whose sidecar is missing or invalid is listed as unverified. */
export function listBackupInfos(dataDir: string): BackupInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(backupsDir(dataDir));
  } catch {
    return [];
  }
  const infos: BackupInfo[] = [];
  for (const name of names) {
    if (!name.endsWith('.db')) continue;
    const id = name.slice(0, -3);
    try {
      parseBackupId(id);
    } catch {
      continue;
    }
    const file = backupFile(dataDir, id);
    const info = readSidecar(dataDir, id) ?? {
      id,
      createdAt: fs.statSync(file).mtime.toISOString(),
      sizeBytes: fileSize(file),
      verified: 'unverified' as const,
      reason: 'unknown (sidecar missing)',
      appVersion: 'unknown',
      schemaVersion: 0,
    };
    infos.push(info);
  }
  return infos.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
}

export function newestVerifiedBackup(dataDir: string): BackupInfo | null {
  return listBackupInfos(dataDir).find((b) => b.verified === 'ok') ?? null;
}

export interface FileCheck {
  ok: boolean;
  schemaVersion: number;
  detail: string;
}

/** Opens a backup read-only and checks it is a whole Cairn database of a version we can read. */
export function checkDatabaseFile(file: string): FileCheck {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const appId = Number(db.pragma('application_id', { simple: true }));
    const version = Number(db.pragma('user_version', { simple: true }));
    if (appId !== APPLICATION_ID) return { ok: false, schemaVersion: version, detail: 'not a Cairn database' };
    if (version < 1 || version > SCHEMA_VERSION) return { ok: false, schemaVersion: version, detail: `schema version ${version} is not one this Cairn reads` };
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const result = rows.map((r) => r.integrity_check).join('; ');
    return { ok: result === 'ok', schemaVersion: version, detail: result };
  } catch (err) {
    return { ok: false, schemaVersion: 0, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    db?.close();
  }
}
