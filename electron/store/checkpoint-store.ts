// The checkpoint store: one writer connection per process over <dataDir>/cairn.db.
// Every public method validates what comes from outside and turns every
// failure into a StoreError (see errors.ts).
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { ZodError } from 'zod';
import type { BackupInfo, Checkpoint, CheckpointKind, Id, Session, SessionConfig, TimelineRow } from '../../shared/domain.ts';
import { CheckpointKindSchema } from '../../shared/domain.ts';
import type { BackupSession } from '../../shared/ipc/backups.ts';
import type { VerifyReport } from '../../shared/ipc/checkpoints.ts';
import { readOnlyFileError, StoreError, toOutputFileError, toStoreError } from './errors.ts';
import { newId, parseHash, parseId } from './ids.ts';
import { openDatabase } from './db-open.ts';
import { canStillRead, openDatabaseForReading } from './db-open-read.ts';
import { backupFile, dbPath, fileStamp, parseBackupId } from './paths.ts';
import { parseDataDir } from './data-dir.ts';
import { MIGRATIONS, type Migration } from './schema.ts';
import * as sessions from './sessions.ts';
import * as cps from './checkpoints.ts';
import * as stream from './stream.ts';
import * as memo from './memo.ts';
import * as head from './head.ts';
import * as leases from './leases.ts';
import { verify } from './verify.ts';
import * as backups from './backups.ts';
import { checkDatabaseFile, listBackupInfos, newestVerifiedBackup } from './backup-files.ts';
import { exportPortable, findCopyOf, importPortable, parsePortable } from './portable.ts';
import { isReadOnlyFile, PRIVATE_FILE_MODE, removeQuietly, writeFileAtomic } from './fs-safe.ts';
import { copyWalAside, noteCommitLoss, type CommitLoss } from './wal-evidence.ts';
import { diagnoseIoError } from './diagnose.ts';
import type {
  BackupOptions, CheckpointStoreApi, CompleteStepInput, Lease, ListSessionsQuery, MemoHit, NewCheckpoint,
  ImportResult, NewSessionInput, Page, PartialStream, RestoreResult, SessionPatch, StepRef,
} from './types.ts';

export interface OpenStoreOptions {
  dataDir: string;
  appVersion?: string;
  now?: () => Date;
  /** For tests of the migration path only. */
  migrations?: readonly Migration[];
  /** When the stream log is fsync'd and when its parts move into the database (stream.ts); tests and benchmarks only. */
  streamSync?: stream.StreamSync;
}

const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export class CheckpointStore implements CheckpointStoreApi {
  readonly dataDir: string;
  readonly appVersion: string;
  readonly schemaVersion: number;
  #db: Database.Database;
  #now: () => Date;
  #migrations: readonly Migration[];
  #closed = false;
  #lastAtMs = 0;
  /** Why this store could only be opened for reading (db-open-read.ts); every write is refused with it. */
  #readOnly: StoreError | null = null;
  #commitLoss: CommitLoss | null = null;
  readonly #streams: stream.StreamParts;

  private constructor(dataDir: string, appVersion: string, now: () => Date, migrations: readonly Migration[], streamSync: stream.StreamSync) {
    this.dataDir = dataDir;
    this.appVersion = appVersion;
    this.#now = now;
    this.#migrations = migrations;
    // Kept until the open is checked against the commit marks (wal-evidence.ts).
    const walCopy = copyWalAside(dataDir, now());
    let opened: { db: Database.Database; schemaVersion: number };
    try {
      opened = this.#open();
    } catch (err) {
      // A damaged database was moved aside with its WAL, which is the evidence; any other failure changed nothing.
      if (walCopy) removeQuietly(walCopy);
      throw err;
    }
    this.#db = opened.db;
    this.schemaVersion = opened.schemaVersion;
    this.#streams = new stream.StreamParts(() => this.#db, dataDir, streamSync, () => this.#now().getTime());
    if (!this.#readOnly) this.#putBackStreamLogs();
    this.#commitLoss = this.#checkCommitMarks(walCopy);
  }

  #checkCommitMarks(walCopy: string | null): CommitLoss | null {
    let lost: stream.LostCommits[];
    try {
      lost = this.#streams.lostCommits();
    } catch {
      lost = [];
    }
    return noteCommitLoss(lost, walCopy, this.#now(), lost.length > 0 ? newestVerifiedBackup(this.dataDir) : null, this.dataDir);
  }

  /**
   * Steps whose commit had returned (their commit marks say so) but which this database does not hold:
   * its WAL was damaged or lost. Null when the open found nothing missing.
   */
  get commitLoss(): CommitLoss | null {
    return this.#commitLoss;
  }

  /** Stream logs set aside by a restore that did not swap the database (it crashed or failed first) are put back. */
  #putBackStreamLogs(): void {
    this.#streams.putBackSetAside((stamp) => fs.existsSync(`${dbPath(this.dataDir)}.replaced-${stamp}`));
  }

  static open(opts: OpenStoreOptions): CheckpointStore {
    const dataDir = parseDataDir(opts.dataDir);
    return new CheckpointStore(dataDir, opts.appVersion ?? '0.0.0-dev', opts.now ?? (() => new Date()), opts.migrations ?? MIGRATIONS, opts.streamSync ?? stream.DEFAULT_STREAM_SYNC);
  }

  #open(): { db: Database.Database; schemaVersion: number } {
    try {
      return this.#openForWriting();
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      // A full disk shows as a bare I/O error when SQLite cannot size its -shm index.
      const why = diagnoseIoError(err, this.dataDir, 'opening the database');
      if (!canStillRead(why, this.dataDir)) throw why;
      const opened = openDatabaseForReading(this.dataDir, this.#migrations.at(-1)?.version ?? 0, why);
      this.#readOnly = why;
      return opened;
    }
  }

  /** Null when the store can write; else why it was opened for reading only (a read-only folder or disk, a full disk). */
  get readOnly(): StoreError | null {
    return this.#readOnly;
  }

  /** Refuses a write on a store opened for reading only, naming what was tried and the original reason. */
  #assertWritable(action: string): void {
    const why = this.#readOnly;
    if (!why) return;
    const what = action.charAt(0).toUpperCase() + action.slice(1);
    throw new StoreError(why.code, `Cairn opened ${this.dataDir} for reading only: ${why.message} ${what} needs to write there, so nothing was changed.`, why.hint, { cause: why });
  }

  #openForWriting(): { db: Database.Database; schemaVersion: number } {
    backups.finishInterruptedSwap(this.dataDir);
    return openDatabase({
      dataDir: this.dataDir,
      now: this.#now,
      migrations: this.#migrations,
      beforeMigrate: (db) => {
        backups.createBackupSync(db, this.#backupCtx(), 'before-migration');
      },
    });
  }

  #backupCtx(): backups.BackupContext {
    return { dataDir: this.dataDir, now: this.#now, appVersion: this.appVersion };
  }

  /**
   * Strictly increasing within this process, so "last activity" orders writes
   * made in the same millisecond correctly (a rename right after a create must
   * sort first).
   */
  #at(): string {
    const ms = Math.max(this.#now().getTime(), this.#lastAtMs + 1);
    this.#lastAtMs = ms;
    return new Date(ms).toISOString();
  }

  #id(): Id {
    return newId(this.#now());
  }

  #guard<T>(action: string, fn: () => T): T {
    if (this.#closed) throw new StoreError('conflict', 'The store is closed.', 'Reopen the data directory.');
    try {
      return fn();
    } catch (err) {
      throw this.#mapError(err, action);
    }
  }

  #mapError(err: unknown, action: string): StoreError {
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      return new StoreError('invalid_input', `Invalid input while ${action}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
    }
    return diagnoseIoError(toStoreError(err, action, this.dataDir), this.dataDir, action);
  }

  #write<T>(action: string, fn: () => T): T {
    this.#assertWritable(action);
    return this.#guard(action, () => this.#db.transaction(fn).immediate());
  }

  /** The live connection, for diagnostics and tests (EXPLAIN, integrity). Do not write through it. */
  get database(): Database.Database {
    return this.#db;
  }

  /** Moves every streamed part still in a stream log into the database, then closes. */
  close(): void {
    if (this.#closed) return;
    try {
      this.#streams.close();
    } catch {
      // What stays in a stream log is absorbed by the next writer of that session.
    }
    this.#closed = true;
    this.#db.close();
  }

  // sessions

  createSession(input: NewSessionInput): Session {
    return this.#write('creating a session', () => {
      const id = this.#id();
      sessions.insertSession(this.#db, id, input, this.#at());
      return sessions.rowToSession(sessions.readSessionRow(this.#db, id));
    });
  }

  listSessions(query?: ListSessionsQuery): Page<Session> {
    return this.#guard('listing sessions', () => sessions.listSessions(this.#db, query));
  }

  getSession(id: string): Session {
    return this.#guard('reading a session', () => sessions.rowToSession(sessions.readSessionRow(this.#db, parseId(id, 'session id'))));
  }

  updateSession(id: string, patch: SessionPatch): Session {
    return this.#write('updating a session', () => {
      const sid = parseId(id, 'session id');
      sessions.patchSession(this.#db, sid, patch, this.#at());
      return sessions.rowToSession(sessions.readSessionRow(this.#db, sid));
    });
  }

  archiveSession(id: string, archived = true): Session {
    return this.#write('archiving a session', () => {
      const sid = parseId(id, 'session id');
      sessions.readSessionRow(this.#db, sid);
      this.#db.prepare('UPDATE sessions SET archived = ? WHERE id = ?').run(archived ? 1 : 0, sid);
      return sessions.rowToSession(sessions.readSessionRow(this.#db, sid));
    });
  }

  deleteSession(id: string): void {
    this.#write('moving a session to the trash', () => {
      const sid = parseId(id, 'session id');
      sessions.readSessionRow(this.#db, sid);
      this.#db.prepare('UPDATE sessions SET trashed_at = ? WHERE id = ?').run(this.#at(), sid);
    });
  }

  restoreSession(id: string): Session {
    return this.#write('restoring a session from the trash', () => {
      const sid = parseId(id, 'session id');
      const row = sessions.readSessionRow(this.#db, sid);
      if (row.trashed_at === null) throw new StoreError('invalid_input', `"${row.name || sid}" is not in the trash.`, 'See what is in the trash: Sessions → Trash, or `cairn trash list`.');
      this.#db.prepare('UPDATE sessions SET trashed_at = NULL WHERE id = ?').run(sid);
      return sessions.rowToSession(sessions.readSessionRow(this.#db, sid));
    });
  }

  /**
   * Purges trashed sessions. A trashed session that a live fork descends from
   * stays in the trash (its checkpoints are the fork's history). Memo entries
   * and the texts they use are kept (with a copy of what they read from the
   * purged checkpoints): they are shared by every session.
   */
  emptyTrash(): number {
    const purgedIds = this.#write('emptying the trash', () => {
      const trashed = this.#db.prepare('SELECT id FROM sessions WHERE trashed_at IS NOT NULL').pluck().all() as Id[];
      const purged: Id[] = [];
      for (const sid of trashed) {
        const needed = this.#db.prepare(`SELECT 1 FROM checkpoints c JOIN checkpoints p ON p.id = c.parent_id
          WHERE p.session_id = ? AND c.session_id <> ? LIMIT 1`).get(sid, sid);
        if (needed) continue;
        const hashes = this.#db.prepare('SELECT DISTINCT output_hash FROM checkpoints WHERE session_id = ? AND output_hash IS NOT NULL').pluck().all(sid) as Buffer[];
        memo.keepMemoEntries(this.#db, sid);
        for (const table of ['leases', 'stream_parts', 'stream_log_marks', 'head_moves']) this.#db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run(sid);
        this.#db.prepare('UPDATE sessions SET head_id = NULL WHERE id = ?').run(sid);
        this.#db.prepare('DELETE FROM checkpoints WHERE session_id = ?').run(sid);
        this.#db.prepare('DELETE FROM sessions WHERE id = ?').run(sid);
        const gc = this.#db.prepare(`DELETE FROM blobs WHERE hash = ?
          AND NOT EXISTS (SELECT 1 FROM checkpoints WHERE output_hash = ?) AND NOT EXISTS (SELECT 1 FROM memo WHERE output_hash = ?)`);
        for (const h of hashes) gc.run(h, h, h);
        purged.push(sid);
      }
      return purged;
    });
    this.#guard('emptying the trash', () => {
      for (const sid of purgedIds) this.#streams.forget(sid);
    });
    return purgedIds.length;
  }

  // checkpoints and blobs

  appendCheckpoint(sessionId: string, cp: NewCheckpoint): Checkpoint {
    return this.#write('saving a checkpoint', () => {
      const sid = parseId(sessionId, 'session id');
      const valid = cps.validateNewCheckpoint(cp);
      const session = sessions.readSessionRow(this.#db, sid);
      const outputHash = cp.output === undefined || cp.output === null ? null : cps.putBlob(this.#db, cp.output);
      const parent = session.head_id ? cps.readCheckpointRow(this.#db, session.head_id as Id) : null;
      const at = this.#at();
      const saved = cps.insertCheckpoint(this.#db, { id: this.#id(), sessionId: sid, parent, outputHash, createdAt: at, ...valid });
      this.#db.prepare('UPDATE sessions SET head_id = ? WHERE id = ?').run(saved.id, sid);
      sessions.addUsage(this.#db, sid, valid.usage, at);
      return saved;
    });
  }

  getCheckpoint(id: string): Checkpoint {
    return this.#guard('reading a checkpoint', () => cps.rowToCheckpoint(cps.readCheckpointRow(this.#db, parseId(id, 'checkpoint id'))));
  }

  getBlob(hash: string): string {
    return this.#guard('reading stored text', () => cps.getBlob(this.#db, parseHash(hash)));
  }

  putBlob(text: string): string {
    return this.#write('storing text', () => cps.putBlob(this.#db, text));
  }

  headPath(sessionId: string): Checkpoint[] {
    return this.#guard('reading the session history', () => {
      const session = sessions.readSessionRow(this.#db, parseId(sessionId, 'session id'));
      return cps.pathTo(this.#db, session.head_id as Id | null).map(cps.rowToCheckpoint);
    });
  }

  headPathSteps(sessionId: string, kinds: readonly CheckpointKind[]): StepRef[] {
    return this.#guard('reading the session history', () => {
      const session = sessions.readSessionRow(this.#db, parseId(sessionId, 'session id'));
      return cps.pathStepRefRows(this.#db, session.head_id as Id | null, CheckpointKindSchema.array().parse(kinds)).map(cps.rowToStepRef);
    });
  }

  stepOnHeadPath(sessionId: string, kind: CheckpointKind, stepKey: string): Checkpoint[] {
    return this.#guard('reading the session history', () => {
      const session = sessions.readSessionRow(this.#db, parseId(sessionId, 'session id'));
      return cps.pathStepRows(this.#db, session.head_id as Id | null, kind, stepKey).map(cps.rowToCheckpoint);
    });
  }

  timeline(sessionId: string, opts?: { limit?: number; cursor?: string }): Page<TimelineRow> & { total: number } {
    return this.#guard('reading the timeline', () => {
      const sid = parseId(sessionId, 'session id');
      const session = sessions.readSessionRow(this.#db, sid);
      return cps.timeline(this.#db, sid, session.head_id, opts);
    });
  }

  // streaming

  appendStreamPart(sessionId: string, stepKey: string, attempt: number, text: string): void {
    this.#assertWritable('saving streamed output');
    this.#guard('saving streamed output', () => {
      const step = stream.parseStep(stepKey, attempt);
      this.#streams.append(parseId(sessionId, 'session id'), step.stepKey, step.attempt, text, this.#at());
    });
  }

  partial(sessionId: string, stepKey: string): PartialStream | null {
    return this.#guard('reading streamed output', () => this.#streams.partial(parseId(sessionId, 'session id'), stream.parseStep(stepKey, 0).stepKey));
  }

  completeStep(sessionId: string, input: CompleteStepInput): Checkpoint {
    const sid = this.#guard('saving a completed step', () => {
      const id = parseId(sessionId, 'session id');
      sessions.readSessionRow(this.#db, id);
      this.#streams.prepare(id);
      return id;
    });
    const done = this.#write('saving a completed step', () => this.#streams.complete(sid, input, this.#id(), this.#at()));
    try {
      done.committed();
    } catch {
      // Bookkeeping after the commit: the step is saved whatever happens here.
    }
    return done.checkpoint;
  }

  memoGet(memoKey: string): MemoHit | null {
    return this.#guard('looking up a memoised step', () => memo.memoGet(this.#db, memoKey));
  }

  // head

  /** Takes an automatic backup, then moves the head. `backupId` names that backup. */
  rollback(sessionId: string, checkpointId: string): { session: Session; hidden: number; backupId: string | null } {
    this.#assertWritable('rolling back');
    const sid = this.#guard('rolling back', () => parseId(sessionId, 'session id'));
    const cid = this.#guard('rolling back', () => parseId(checkpointId, 'checkpoint id'));
    this.#guard('checking the rollback', () => sessions.readSessionRow(this.#db, sid));
    const backup = this.#guard('backing up before a rollback', () => backups.createBackupSync(this.#db, this.#backupCtx(), 'before-rollback'));
    return this.#write('rolling back', () => {
      const hidden = head.rollback(this.#db, sid, cid, this.#at());
      return { session: sessions.rowToSession(sessions.readSessionRow(this.#db, sid)), hidden, backupId: backup.id };
    });
  }

  undoRollback(sessionId: string): Session {
    return this.#write('undoing a rollback', () => {
      const sid = parseId(sessionId, 'session id');
      head.undoRollback(this.#db, sid, this.#at());
      return sessions.rowToSession(sessions.readSessionRow(this.#db, sid));
    });
  }

  fork(sessionId: string, checkpointId: string, opts?: { name?: string; config?: SessionConfig }): Session {
    return this.#write('forking a session', () => {
      const newSession = this.#id();
      head.fork(this.#db, parseId(sessionId, 'session id'), parseId(checkpointId, 'checkpoint id'), newSession, this.#id(), this.#at(), opts);
      return sessions.rowToSession(sessions.readSessionRow(this.#db, newSession));
    });
  }

  // leases

  acquireLease(sessionId: string, owner: string): Lease | null {
    return this.#write('taking the session lease', () => leases.acquire(this.#db, parseId(sessionId, 'session id'), leases.parseOwner(owner), this.#now().getTime()));
  }

  heartbeat(sessionId: string, owner: string): boolean {
    return this.#write('renewing the session lease', () => leases.heartbeat(this.#db, parseId(sessionId, 'session id'), leases.parseOwner(owner), this.#now().getTime()));
  }

  /** The run is over: its streamed parts move from the stream log into the database, then the lease goes. */
  releaseLease(sessionId: string, owner: string): void {
    const sid = this.#guard('releasing the session lease', () => parseId(sessionId, 'session id'));
    try {
      this.#guard('saving streamed output', () => this.#streams.release(sid));
    } catch {
      // Parts that could not move stay in the stream log, which the session's next writer absorbs.
    }
    this.#write('releasing the session lease', () => leases.release(this.#db, sid, leases.parseOwner(owner)));
  }

  recoverInterrupted(): Id[] {
    // Read only: the sessions stay as they were saved; the next writable open recovers them.
    if (this.#readOnly) return [];
    return this.#write('recovering interrupted sessions', () => leases.recoverInterrupted(this.#db, this.#now().getTime(), this.#at()));
  }

  // integrity

  verify(sessionId?: string): VerifyReport {
    return this.#guard('verifying the database', () => {
      const sid = sessionId === undefined ? null : parseId(sessionId, 'session id');
      const report = verify(this.#db, sid);
      // Steps the open found missing are damage too, though what is left verifies.
      const lost = (this.#commitLoss?.lost ?? []).filter((l) => sid === null || l.sessionId === sid);
      if (lost.length === 0) return report;
      const why = this.#commitLoss?.reason;
      for (const l of lost) {
        for (const m of l.steps) {
          report.damaged.push({ checkpointId: m.checkpointId.slice(0, 64), problem: `missing: step ${m.stepKey} of session ${l.sessionId} was saved at ${new Date(m.atMs).toISOString()}, but the write-ahead log that held it was damaged or lost. ${why?.hint ?? ''}`.slice(0, 1_000) });
        }
      }
      return { ...report, ok: false };
    });
  }

  // backups

  async createBackup(opts: BackupOptions = {}): Promise<BackupInfo> {
    this.#assertWritable('making a backup');
    // Streamed parts still in a stream log go into the database first, so the backup holds them.
    this.#guard('starting a backup', () => this.#streams.syncAll());
    return backups.createBackup(this.#db, this.#backupCtx(), opts.reason ?? 'manual');
  }

  listBackups(): BackupInfo[] {
    return this.#guard('listing backups', () => listBackupInfos(this.dataDir));
  }

  verifyBackup(id: string): BackupInfo {
    return this.#guard('verifying a backup', () => backups.verifyBackup(this.#backupCtx(), id));
  }

  /**
   * The sessions a backup holds, read from the backup file (never from the live database), and
   * whether each is still here: in the list, in the trash, or gone (deleted since the backup).
   */
  backupSessions(id: string): BackupSession[] {
    const action = 'reading the sessions of a backup';
    const bid = this.#guard(action, () => parseBackupId(id));
    const file = backupFile(this.dataDir, bid);
    const check = checkDatabaseFile(file);
    if (!check.ok) throw new StoreError('corrupt', `Backup ${bid} cannot be read: ${check.detail}.`, 'Choose another backup from the list.');
    let rows: backups.BackupSessionRow[];
    try {
      rows = backups.readBackupSessions(file);
    } catch (err) {
      throw this.#mapError(err, action);
    }
    return this.#guard(action, () => {
      const trashedNow = this.#db.prepare('SELECT trashed_at IS NOT NULL FROM sessions WHERE id = ?').pluck();
      return rows.map((r) => {
        const here = trashedNow.get(r.id) as number | undefined;
        return { ...r, now: here === undefined ? 'gone' : here === 1 ? 'trash' : 'here' };
      });
    });
  }

  async restoreBackup(id: string, mode: 'replace' | 'new-session', sessionIds?: string | readonly string[]): Promise<RestoreResult> {
    this.#assertWritable('restoring a backup');
    const bid = this.#guard('restoring a backup', () => parseBackupId(id));
    const file = backupFile(this.dataDir, bid);
    const check = checkDatabaseFile(file);
    if (!check.ok) throw new StoreError('corrupt', `Backup ${bid} cannot be restored: ${check.detail}.`, 'Choose another backup from the list.');
    if (mode === 'new-session') {
      // The sessions named; otherwise every session in the backup comes back as a new one,
      // which is how a deleted session is recovered.
      const named = sessionIds === undefined ? null : typeof sessionIds === 'string' ? [sessionIds] : sessionIds;
      const sids = named === null ? null : this.#guard('restoring a backup', () => [...new Set(named)].map((s) => parseId(s, 'session id')));
      return this.#restoreSessions(file, sids);
    }
    if (mode !== 'replace') throw new StoreError('invalid_input', `Unknown restore mode ${String(mode)}.`);
    const safety = await this.createBackup({ reason: 'before-restore' });
    const stamp = fileStamp(this.#now());
    this.#guard('restoring a backup', () => {
      // A run writing the database now would go on writing into the restored one.
      const running = leases.liveLease(this.#db, this.#now().getTime());
      if (running) {
        throw new StoreError('conflict', `Session ${running} is being run right now, so the database cannot be replaced.`,
          'Pause or stop the run (in this window or the cairn command running it), then restore.');
      }
      this.#streams.setAsideAll(stamp);
    });
    this.#closed = true;
    this.#db.close();
    let swapError: unknown = null;
    try {
      backups.swapInBackup(this.#backupCtx(), bid, stamp);
    } catch (err) {
      swapError = err;
    }
    // Reopen whatever is live now: the restored file, or the untouched old one.
    this.#db = this.#open().db;
    this.#closed = false;
    // If the old database is still live, its stream logs come back with it.
    this.#putBackStreamLogs();
    if (swapError !== null) throw this.#mapError(swapError, 'restoring a backup');
    const restoredSessions = this.#db.prepare('SELECT id FROM sessions ORDER BY id').pluck().all() as Id[];
    return { safetyBackupId: safety.id, restoredSessions };
  }

  #restoreSessions(file: string, sids: Id[] | null): RestoreResult {
    let source: Database.Database | null = null;
    try {
      source = new Database(file, { readonly: true, fileMustExist: true });
      const ids = sids ?? (source.prepare('SELECT id FROM sessions ORDER BY id').pluck().all() as Id[]);
      const restored: Id[] = [];
      for (const sid of ids) {
        const portable = exportPortable(source, sid, this.#at(), this.appVersion);
        restored.push(this.#write('restoring a session from a backup', () => importPortable(this.#db, portable, () => this.#id(), this.#at(), ' (restored)')));
      }
      return { safetyBackupId: null, restoredSessions: restored };
    } catch (err) {
      throw this.#mapError(err, 'restoring a session from a backup');
    } finally {
      source?.close();
    }
  }

  pruneBackups(policy: { keepLast: number; dailyDays: number }): string[] {
    this.#assertWritable('pruning backups');
    return this.#guard('pruning backups', () => backups.pruneBackups(this.#backupCtx(), policy));
  }

  exportSession(sessionId: string, file: string): void {
    const action = 'exporting a session';
    const target = this.#guard(action, () => checkedFilePath(file));
    const portable = this.#guard(action, () => this.#db.transaction(() => exportPortable(this.#db, parseId(sessionId, 'session id'), this.#at(), this.appVersion))());
    try {
      // A rename would replace a file the user made read-only; `export` refuses it too (its open fails).
      if (isReadOnlyFile(target)) throw readOnlyFileError(target, action);
      writeFileAtomic(target, `${JSON.stringify(portable)}\n`, PRIVATE_FILE_MODE);
    } catch (err) {
      throw toOutputFileError(err, target, action);
    }
  }

  /**
   * Adds the session in `file`. A file whose session is already here (imported before, or
   * exported from a session still here) is refused with a `duplicate` error naming that
   * copy, unless `onDuplicate` says to skip it (the copy is returned) or keep both.
   */
  importSession(file: string, opts: { onDuplicate?: 'refuse' | 'skip' | 'keep-both' } = {}): ImportResult {
    this.#assertWritable('importing a session');
    return this.#guard('importing a session', () => {
      const source = checkedFilePath(file);
      let size: number;
      try {
        size = fs.statSync(source).size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        throw new StoreError('not_found', `${source}: no such file.`, 'Check the path of the session file.', { cause: err });
      }
      if (size > MAX_IMPORT_BYTES) throw new StoreError('invalid_input', `The file is ${size} bytes; session files larger than ${MAX_IMPORT_BYTES} bytes are refused.`);
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(source, 'utf8'));
      } catch {
        throw new StoreError('invalid_input', `${source} is not a Cairn session file (it is not JSON).`, 'Choose a file made by exporting a session (Export session in the app, cairn export-session on the command line).');
      }
      const portable = parsePortable(raw);
      const onDuplicate = opts.onDuplicate ?? 'refuse';
      const result = this.#db.transaction((): ImportResult => {
        const copy = findCopyOf(this.#db, portable);
        if (copy !== null && onDuplicate === 'skip') return { session: sessions.rowToSession(sessions.readSessionRow(this.#db, copy)), skipped: true, duplicateOf: copy };
        if (copy !== null && onDuplicate !== 'keep-both') {
          const here = sessions.rowToSession(sessions.readSessionRow(this.#db, copy));
          throw new StoreError('duplicate', `This session is already here as "${here.name}" (${here.id}).`, 'Skip it to leave things as they are, or keep both to add a second copy.', { params: { sessionId: here.id, name: here.name } });
        }
        const sid = importPortable(this.#db, portable, () => this.#id(), this.#at(), ' (imported)');
        return { session: sessions.rowToSession(sessions.readSessionRow(this.#db, sid)), skipped: false, duplicateOf: copy };
      }).immediate();
      return result;
    });
  }
}

/** Files for export/import are chosen by the user; refuse what cannot be a real path. */
function checkedFilePath(file: unknown): string {
  if (typeof file !== 'string' || file.length === 0 || file.length > 4_096 || file.includes('\0')) {
    throw new StoreError('invalid_input', 'The file path is empty, too long or contains a NUL byte.');
  }
  return file;
}
