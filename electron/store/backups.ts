// Backups of the live database: written with SQLite's online backup API (or
// VACUUM INTO where the caller is synchronous), verified by reopening, then
// published by rename with a sidecar. Prune and restore live here too.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ProgressSchema, SessionStatusSchema, type BackupInfo, type Id, type Progress, type SessionStatus } from '../../shared/domain.ts';
import { statusOnArrival } from '../../shared/session-state.ts';
import { StoreError, toStoreError } from './errors.ts';
import { checkDatabaseFile, listBackupInfos, writeSidecar } from './backup-files.ts';
import { ensurePrivateDir, existsFile, fileSize, fsyncDir, fsyncFile, makePrivate, removeQuietly } from './fs-safe.ts';
import { backupFile, backupSidecar, backupsDir, dbPath, fileStamp, parseBackupId } from './paths.ts';

function diagnoseBackupError(err: unknown, ctx: BackupContext, action: string): StoreError {
  const place = backupsDir(ctx.dataDir);
  const mapped = toStoreError(err, action, place);
  if (mapped.code !== 'io_error' && mapped.code !== 'permission_denied') return mapped;
  try {
    fs.accessSync(place, fs.constants.W_OK);
    if (fs.statfsSync(place).bavail === 0) return toStoreError(Object.assign(new Error('no space left'), { code: 'ENOSPC' }), action, place);
  } catch (probe) {
    return toStoreError(probe, action, place);
  }
  return mapped;
}

export interface BackupContext {
  dataDir: string;
  now: () => Date;
  appVersion: string;
}

function newBackupId(now: Date): string {
  return `${fileStamp(now)}-${randomBytes(4).toString('hex')}`;
}

/** A backup file keeps WAL mode from its source; switch it to a self-contained rollback-journal file. */
function finalise(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function publish(ctx: BackupContext, id: string, tmp: string, reason: string, startedAt: Date): BackupInfo {
  finalise(tmp);
  const check = checkDatabaseFile(tmp);
  if (!check.ok) {
    removeQuietly(tmp);
    throw new StoreError('io_error', `The backup could not be verified after writing (${check.detail}); it was discarded.`, 'Check the disk, then create the backup again.');
  }
  makePrivate(tmp);
  fsyncFile(tmp);
  const final = backupFile(ctx.dataDir, id);
  fs.renameSync(tmp, final);
  fsyncDir(backupsDir(ctx.dataDir));
  const info: BackupInfo = {
    id,
    createdAt: startedAt.toISOString(),
    sizeBytes: fileSize(final),
    verified: 'ok',
    reason: reason.slice(0, 200),
    appVersion: ctx.appVersion.slice(0, 50),
    schemaVersion: check.schemaVersion,
  };
  writeSidecar(ctx.dataDir, info);
  return info;
}

function prepare(ctx: BackupContext): { id: string; tmp: string; startedAt: Date } {
  const startedAt = ctx.now();
  const id = newBackupId(startedAt);
  ensurePrivateDir(backupsDir(ctx.dataDir));
  return { id, tmp: path.join(backupsDir(ctx.dataDir), `${id}.partial`), startedAt };
}

/** Online backup: pages are copied a batch at a time while this connection keeps writing. */
export async function createBackup(db: Database.Database, ctx: BackupContext, reason: string): Promise<BackupInfo> {
  let tmp = '';
  try {
    const p = prepare(ctx);
    tmp = p.tmp;
    await db.backup(p.tmp);
    return publish(ctx, p.id, p.tmp, reason, p.startedAt);
  } catch (err) {
    if (tmp) removeQuietly(tmp);
    throw diagnoseBackupError(err, ctx, 'writing a backup');
  }
}

/** Synchronous consistent snapshot, for automatic backups inside synchronous operations. */
export function createBackupSync(db: Database.Database, ctx: BackupContext, reason: string): BackupInfo {
  let tmp = '';
  try {
    const p = prepare(ctx);
    tmp = p.tmp;
    db.prepare('VACUUM INTO ?').run(p.tmp);
    return publish(ctx, p.id, p.tmp, reason, p.startedAt);
  } catch (err) {
    if (tmp) removeQuietly(tmp);
    throw diagnoseBackupError(err, ctx, 'writing an automatic backup');
  }
}

export function verifyBackup(ctx: BackupContext, rawId: string): BackupInfo {
  const id = parseBackupId(rawId);
  const file = backupFile(ctx.dataDir, id);
  if (!existsFile(file)) throw new StoreError('not_found', `There is no backup ${id}.`, 'Refresh the backup list.');
  const known = listBackupInfos(ctx.dataDir).find((b) => b.id === id);
  const check = checkDatabaseFile(file);
  const info: BackupInfo = {
    id,
    createdAt: known?.createdAt ?? ctx.now().toISOString(),
    sizeBytes: fileSize(file),
    verified: check.ok ? 'ok' : 'failed',
    reason: known?.reason ?? 'unknown',
    appVersion: known?.appVersion ?? 'unknown',
    schemaVersion: check.schemaVersion,
  };
  try {
    writeSidecar(ctx.dataDir, info);
  } catch (err) {
    throw toStoreError(err, 'recording a backup check', backupsDir(ctx.dataDir));
  }
  return info;
}

/** Keep the newest `keepLast`, the newest of each of the last `dailyDays` days, and always the newest verified. */
export function pruneBackups(ctx: BackupContext, policy: { keepLast: number; dailyDays: number }): string[] {
  if (!Number.isInteger(policy.keepLast) || policy.keepLast < 0 || !Number.isInteger(policy.dailyDays) || policy.dailyDays < 0) {
    throw new StoreError('invalid_input', 'Backup policy numbers must be whole numbers from 0.');
  }
  const all = listBackupInfos(ctx.dataDir);
  const keep = new Set<string>(all.slice(0, policy.keepLast).map((b) => b.id));
  const newestVerified = all.find((b) => b.verified === 'ok');
  if (newestVerified) keep.add(newestVerified.id);
  const cutoff = ctx.now().getTime() - policy.dailyDays * 86_400_000;
  const seenDays = new Set<string>();
  for (const b of all) {
    const t = Date.parse(b.createdAt);
    if (Number.isNaN(t) || t < cutoff) continue;
    const day = b.createdAt.slice(0, 10);
    if (!seenDays.has(day)) {
      seenDays.add(day);
      keep.add(b.id);
    }
  }
  const removed: string[] = [];
  for (const b of all) {
    if (keep.has(b.id)) continue;
    try {
      fs.rmSync(backupFile(ctx.dataDir, b.id), { force: true });
      fs.rmSync(backupSidecar(ctx.dataDir, b.id), { force: true });
      removed.push(b.id);
    } catch (err) {
      throw toStoreError(err, 'removing an old backup', backupsDir(ctx.dataDir));
    }
  }
  if (removed.length) fsyncDir(backupsDir(ctx.dataDir));
  return removed;
}

/** A session as a backup file holds it, with the status it would arrive with (a run does not come along). */
export interface BackupSessionRow {
  id: Id;
  name: string;
  status: SessionStatus;
  progress: Progress;
  updatedAt: string;
  trashed: boolean;
}

function parsedJson(text: unknown): unknown {
  try {
    return typeof text === 'string' ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * The sessions in a backup file, read from the file opened read-only, newest activity first.
 * Read loosely, column by column: a backup may come from an older schema, and one damaged
 * record must not hide the others (it is listed with what can be read).
 */
export function readBackupSessions(file: string): BackupSessionRow[] {
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = source.prepare('SELECT * FROM sessions ORDER BY updated_at DESC, id DESC').all() as Array<Record<string, unknown>>;
    return rows.map((r) => {
      const saved = SessionStatusSchema.safeParse(r.status);
      const arrived = statusOnArrival({ status: saved.success ? saved.data : 'paused', retryAt: typeof r.retry_at === 'string' ? r.retry_at : null, reason: null });
      const progress = ProgressSchema.safeParse(parsedJson(r.progress));
      return {
        id: String(r.id) as Id,
        name: typeof r.name === 'string' ? r.name : '',
        status: arrived.status,
        progress: progress.success ? progress.data : { done: 0, total: 0, failed: 0, etaSeconds: null },
        updatedAt: typeof r.updated_at === 'string' ? r.updated_at : '',
        trashed: r.trashed_at !== undefined && r.trashed_at !== null,
      };
    });
  } finally {
    source.close();
  }
}

export const RESTORING_SUFFIX = '.restoring';

/**
 * Swaps a verified backup in as the live database. The writer must be closed.
 * The old files are renamed aside, never deleted; a crash between the two
 * renames is finished by `finishInterruptedSwap` on the next open.
 */
/** `stamp` names the live database set aside (`cairn.db.replaced-<stamp>`). */
export function swapInBackup(ctx: BackupContext, id: string, stamp: string): string {
  const live = dbPath(ctx.dataDir);
  const staged = `${live}${RESTORING_SUFFIX}`;
  fs.copyFileSync(backupFile(ctx.dataDir, id), staged);
  fsyncFile(staged);
  const check = checkDatabaseFile(staged);
  if (!check.ok) {
    removeQuietly(staged);
    throw new StoreError('corrupt', `Backup ${id} failed its check while being restored (${check.detail}).`, 'Choose another backup.');
  }
  const aside = `${live}.replaced-${stamp}`;
  for (const suffix of ['-wal', '-shm', '']) {
    if (existsFile(`${live}${suffix}`)) fs.renameSync(`${live}${suffix}`, `${aside}${suffix}`);
  }
  fs.renameSync(staged, live);
  fsyncDir(ctx.dataDir);
  return aside;
}

export function finishInterruptedSwap(dataDir: string): void {
  const live = dbPath(dataDir);
  const staged = `${live}${RESTORING_SUFFIX}`;
  if (!existsFile(staged)) return;
  if (!existsFile(live) && checkDatabaseFile(staged).ok) {
    fs.renameSync(staged, live);
    fsyncDir(dataDir);
  } else {
    removeQuietly(staged);
  }
}
