// Streamed output is appended as parts and never rewritten; completing the
// step folds the parts into one blob in the transaction that writes the
// checkpoint, the memo entry and the new head.
//
// Where the parts wait. Each part (one per ~250 ms of stream) is appended to
// the session's stream log (stream-log.ts) with one write(): a crash or a kill
// of the process cannot lose it, and a slow stream fills the log's pages
// instead of costing a fsync'd 4 KiB SQLite page per ~75-byte part (about 140
// bytes written per byte streamed at 50 tok/s). The log is fdatasync'd once
// `fsyncBytes` have been appended since the last sync, or when the oldest
// unsynced part is `fsyncMs` old, so a power cut can take at most that much
// of an unfinished step. The parts move into `stream_parts` when the step
// completes (folded, in the same transaction as the checkpoint), when the run
// ends (the lease is released), before a backup, on close, and once
// `moveBytes` are waiting. A completed step is committed with
// synchronous=FULL and is never at risk.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { CheckpointKindSchema, IdSchema, JsonValueSchema, UsageSchema, type Checkpoint, type Id } from '../../shared/domain.ts';
import { StoreError } from './errors.ts';
import { insertCheckpoint, MAX_BLOB_CHARS, putBlob, readCheckpointRow } from './checkpoints.ts';
import { ensurePrivateDir, fsyncDir } from './fs-safe.ts';
import { memoPut, MemoKeySchema } from './memo.ts';
import { fileStamp, streamLogFile, streamLogsDir } from './paths.ts';
import { addUsage, readSessionRow } from './sessions.ts';
import { stmt } from './statements.ts';
import { pidAlive, type LeaseRow } from './leases.ts';
import { encodeCommitMark, encodeRecord, LOG_MAGIC, LogWriter, openLog, readLog, type CommitMark, type LogContents, type LogRecord } from './stream-log.ts';
import type { CompleteStepInput, PartialStream } from './types.ts';

export const StepKeySchema = z.string().min(1).max(512);
const AttemptSchema = z.number().int().min(0).max(1_000_000);
const MAX_PART_CHARS = 10_000_000;

export interface StreamSync {
  /** fdatasync the log once this many bytes were appended since the last sync... */
  fsyncBytes: number;
  /** ... or once the oldest unsynced part is this old. */
  fsyncMs: number;
  /** Move the waiting parts into the database once they add up to this many bytes (0: every part is its own fsync'd commit). */
  moveBytes: number;
}

export const DEFAULT_STREAM_SYNC: StreamSync = { fsyncBytes: 16 * 1024, fsyncMs: 30_000, moveBytes: 1024 * 1024 };
/**
 * The log is rewritten with only its waiting parts (and the database's marks
 * dropped) once it is this large or this many steps were marked since: marks
 * stay few, and the log stays about as large as the answers in flight.
 */
const COMPACT_LOG_BYTES = 1024 * 1024;
const COMPACT_MARKS = 64;

export function parseStep(stepKey: unknown, attempt: unknown): { stepKey: string; attempt: number } {
  const s = StepKeySchema.safeParse(stepKey);
  const a = AttemptSchema.safeParse(attempt);
  if (!s.success) throw new StoreError('invalid_input', 'A step key must be 1 to 512 characters.');
  if (!a.success) throw new StoreError('invalid_input', 'An attempt must be a whole number from 0.');
  return { stepKey: s.data, attempt: a.data };
}

/** A part in the log that the database does not have yet. */
interface Waiting {
  stepKey: string;
  attempt: number;
  seq: number;
  text: string;
  at: string;
  lsn: number;
}

/** The log of one session this process writes. */
interface Journal {
  log: LogWriter;
  /** The lsn of the last record written (records are numbered per session, never reused). */
  lsn: number;
  waiting: Waiting[];
  waitingBytes: number;
  unsyncedBytes: number;
  unsyncedSinceMs: number;
  /** Per step key, per attempt: the seq of the next part. */
  nextSeq: Map<string, Map<number, number>>;
  /** A pending fdatasync for parts the size rule has not synced yet. */
  syncTimer: NodeJS.Timeout | null;
  /** Steps marked absorbed since the log was last rewritten. */
  marked: number;
  /** The newest commit mark written (stream-log.ts), carried into every rewrite of the log. */
  lastCommit: Buffer | null;
}

/** Steps whose checkpoint commit had returned (a commit mark says so) but which the database does not hold. */
export interface LostCommits {
  sessionId: Id;
  /** The log holding the marks. */
  log: string;
  steps: CommitMark[];
}

const seqKey = (stepKey: string, attempt: number): string => `${attempt}\u0000${stepKey}`;

/** The last log record absorbed, per step (steps without a mark: none). */
function marks(db: Database.Database, sessionId: Id): Map<string, number> {
  const rows = stmt(db, 'SELECT step_key, applied_lsn FROM stream_log_marks WHERE session_id = ?').all(sessionId) as Array<{ step_key: string; applied_lsn: number }>;
  return new Map(rows.map((r) => [r.step_key, r.applied_lsn]));
}

function mark(db: Database.Database, sessionId: Id, stepKey: string, lsn: number): void {
  stmt(db, `INSERT INTO stream_log_marks (session_id, step_key, applied_lsn) VALUES (?, ?, ?)
    ON CONFLICT (session_id, step_key) DO UPDATE SET applied_lsn = max(applied_lsn, excluded.applied_lsn)`).run(sessionId, stepKey, lsn);
}

/** Records the database does not have yet: above their step's mark. */
function unabsorbed(records: readonly LogRecord[], applied: ReadonlyMap<string, number>): Waiting[] {
  return records.filter((r) => r.lsn > (applied.get(r.stepKey) ?? 0)).map(toWaiting);
}

/**
 * What an import adds: records above their step's mark and above the parts the
 * database already holds for their attempt. The second test keeps an import
 * exact even where marks were lost with a replaced log (a power cut on a
 * file system that does not order a rename before a later commit).
 */
function toImport(db: Database.Database, sessionId: Id, records: readonly LogRecord[]): Waiting[] {
  const stored = new Map<string, number>();
  return unabsorbed(records, marks(db, sessionId)).filter((w) => {
    const key = seqKey(w.stepKey, w.attempt);
    let max = stored.get(key);
    if (max === undefined) {
      max = maxSeq(db, sessionId, w.stepKey, w.attempt);
      stored.set(key, max);
    }
    return w.seq > max;
  });
}

/**
 * Inserts parts as rows (consecutive parts of one attempt become one row keyed
 * by the last part's seq) and marks each step's highest lsn among them absorbed.
 */
function insertParts(db: Database.Database, sessionId: Id, parts: ReadonlyArray<Omit<Waiting, 'lsn'> & { lsn?: number }>): number {
  const insert = stmt(db, 'INSERT INTO stream_parts (session_id, step_key, attempt, seq, text, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const runs = new Map<string, { stepKey: string; attempt: number; seq: number; texts: string[]; at: string }>();
  const lsns = new Map<string, number>();
  for (const p of parts) {
    const key = seqKey(p.stepKey, p.attempt);
    const run = runs.get(key);
    if (run) {
      run.seq = p.seq;
      run.texts.push(p.text);
      run.at = p.at;
    } else {
      runs.set(key, { stepKey: p.stepKey, attempt: p.attempt, seq: p.seq, texts: [p.text], at: p.at });
    }
    if (p.lsn !== undefined) lsns.set(p.stepKey, Math.max(lsns.get(p.stepKey) ?? 0, p.lsn));
  }
  for (const r of runs.values()) insert.run(sessionId, r.stepKey, r.attempt, r.seq, r.texts.join(''), r.at);
  for (const [stepKey, lsn] of lsns) mark(db, sessionId, stepKey, lsn);
  return lsns.size;
}

function maxSeq(db: Database.Database, sessionId: Id, stepKey: string, attempt: number): number {
  return (stmt(db, 'SELECT max(seq) FROM stream_parts WHERE session_id = ? AND step_key = ? AND attempt = ?').pluck().get(sessionId, stepKey, attempt) as number | null) ?? -1;
}

interface PartRow { attempt: number; seq: number; text: string; created_at: string }

/** The database's parts of the newest attempt of a step (seq order). */
function storedParts(db: Database.Database, sessionId: Id, stepKey: string): PartRow[] {
  return stmt(db, `SELECT attempt, seq, text, created_at FROM stream_parts
    WHERE session_id = @sessionId AND step_key = @stepKey
      AND attempt = (SELECT max(attempt) FROM stream_parts WHERE session_id = @sessionId AND step_key = @stepKey)
    ORDER BY seq`).all({ sessionId, stepKey }) as PartRow[];
}

/** Joins the database's rows with the log's later parts and keeps the newest attempt. */
function merge(stepKey: string, rows: PartRow[], later: readonly Waiting[]): PartialStream | null {
  const newest = Math.max(rows[0]?.attempt ?? -1, ...later.map((w) => w.attempt));
  if (newest < 0) return null;
  const parts = [
    ...rows.filter((r) => r.attempt === newest).map((r) => ({ seq: r.seq, text: r.text, at: r.created_at })),
    ...later.filter((w) => w.attempt === newest).map((w) => ({ seq: w.seq, text: w.text, at: w.at })),
  ].sort((a, b) => a.seq - b.seq);
  const last = parts[parts.length - 1];
  if (!last) return null;
  return { stepKey, attempt: newest, text: parts.map((p) => p.text).join(''), parts: last.seq + 1, updatedAt: last.at };
}

/** Whether `fd` (or, when null, no file) is what is at `file` now. */
function stillAt(file: string, fd: number | null): boolean {
  const onDisk = statQuietly(file);
  if (fd === null) return onDisk === null;
  const own = fs.fstatSync(fd);
  return onDisk !== null && own.nlink > 0 && own.ino === onDisk.ino && own.dev === onDisk.dev;
}

function statQuietly(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/** The session a file in the logs folder is the log of (`<id>.log`), if it is one. */
function logOwner(name: string): Id | null {
  return name.endsWith('.log') && IdSchema.safeParse(name.slice(0, -'.log'.length)).success ? (name.slice(0, -'.log'.length) as Id) : null;
}

/** A log set aside by a restore: `<id>.log.replaced-<stamp>`. */
const SET_ASIDE_NAME = /^(.+\.log)\.replaced-([0-9TZ-]+)$/;

/** Moves `from` to `to` in `dir` unless `to` exists (a link cannot overwrite); a failure leaves `from` as it is. */
function putBack(dir: string, from: string, to: string): void {
  try {
    fs.linkSync(path.join(dir, from), path.join(dir, to));
    fs.rmSync(path.join(dir, from), { force: true });
  } catch {
    // Kept aside, under its set-aside name.
  }
}

const toWaiting = (r: LogRecord): Waiting => ({ stepKey: r.stepKey, attempt: r.attempt, seq: r.seq, text: r.text, at: new Date(r.atMs).toISOString(), lsn: r.lsn });

const CompleteSchema = z.strictObject({
  stepKey: StepKeySchema,
  attempt: AttemptSchema,
  kind: CheckpointKindSchema,
  memoKey: MemoKeySchema,
  state: JsonValueSchema.optional(),
  usage: UsageSchema,
  output: z.string().max(MAX_BLOB_CHARS).optional(),
});

/**
 * The streamed output of every session this process writes. Methods that
 * commit run their own transactions; `complete` runs inside the caller's and
 * returns what to do once it has committed.
 */
export class StreamParts {
  readonly #db: () => Database.Database;
  readonly #dataDir: string;
  readonly #policy: StreamSync;
  readonly #nowMs: () => number;
  readonly #journals = new Map<Id, Journal>();

  constructor(db: () => Database.Database, dataDir: string, policy: StreamSync, nowMs: () => number) {
    this.#db = db;
    this.#dataDir = dataDir;
    this.#policy = policy;
    this.#nowMs = nowMs;
  }

  append(sessionId: Id, stepKey: string, attempt: number, text: string, at: string): void {
    if (typeof text !== 'string' || text.length > MAX_PART_CHARS) throw new StoreError('invalid_input', 'A stream part must be text under 10 million characters.');
    if (text.length === 0) return;
    const db = this.#db();
    readSessionRow(db, sessionId);
    const j = this.#journal(sessionId);
    const seqs = j.nextSeq.get(stepKey) ?? new Map<number, number>();
    j.nextSeq.set(stepKey, seqs);
    const seq = seqs.get(attempt) ?? maxSeq(db, sessionId, stepKey, attempt) + 1;
    const bytes = Buffer.byteLength(text);
    if (j.waitingBytes + bytes >= this.#policy.moveBytes) {
      // This part goes straight to the database with the waiting ones: if the commit fails, nothing of it was kept anywhere.
      const waiting = j.waiting;
      const marked = db.transaction(() => insertParts(db, sessionId, [...waiting, { stepKey, attempt, seq, text, at }])).immediate();
      seqs.set(attempt, seq + 1);
      this.#moved(sessionId, j, () => true, marked);
    } else {
      const lsn = j.lsn + 1;
      const record = encodeRecord({ lsn, atMs: Date.parse(at), stepKey, attempt, seq, text });
      j.log.append(record);
      j.lsn = lsn;
      j.waiting.push({ stepKey, attempt, seq, text, at, lsn });
      j.waitingBytes += bytes;
      if (j.unsyncedBytes === 0) j.unsyncedSinceMs = this.#nowMs();
      j.unsyncedBytes += record.length;
      seqs.set(attempt, seq + 1);
      if (j.unsyncedBytes >= this.#policy.fsyncBytes || this.#nowMs() - j.unsyncedSinceMs >= this.#policy.fsyncMs) {
        this.#syncLog(j);
      } else if (!j.syncTimer) {
        // A stream that pauses still gets its tail synced within fsyncMs.
        j.syncTimer = setTimeout(() => {
          j.syncTimer = null;
          if (this.#journals.get(sessionId) === j) this.#syncLogQuietly(j);
        }, this.#policy.fsyncMs);
        j.syncTimer.unref();
      }
    }
  }

  #syncLog(j: Journal): void {
    j.log.sync();
    j.unsyncedBytes = 0;
    if (j.syncTimer) clearTimeout(j.syncTimer);
    j.syncTimer = null;
  }

  #syncLogQuietly(j: Journal): void {
    try {
      if (j.unsyncedBytes > 0) this.#syncLog(j);
    } catch {
      // The next append syncs again (and reports what fails there).
    }
  }

  /** The persisted text of the newest attempt of an unfinished step: the database's parts, then the log's. */
  partial(sessionId: Id, stepKey: string): PartialStream | null {
    const own = this.#current(sessionId);
    if (own) return merge(stepKey, storedParts(this.#db(), sessionId, stepKey), own.waiting.filter((w) => w.stepKey === stepKey));
    // Another process may be writing this session: read its log before the database, so parts it
    // moves in between show up in the database (and their marks drop the log's copies). If it put a
    // new log in place meanwhile (and dropped the marks the old one needed), read both again.
    // The log is read through a descriptor held open until after the database read, so its inode
    // cannot be reused meanwhile and "still the file at this path" is a sound check.
    const file = streamLogFile(this.#dataDir, sessionId);
    const db = this.#db();
    for (let tries = 1; ; tries += 1) {
      const opened = openLog(file);
      try {
        const read = db.transaction(() => ({ rows: storedParts(db, sessionId, stepKey), applied: marks(db, sessionId) }))();
        if (!stillAt(file, opened?.fd ?? null)) {
          if (tries < 5) continue;
          throw new StoreError('busy', 'The streamed output of this session kept changing while being read.', 'Another Cairn process is writing it; try again in a moment.');
        }
        const later = opened?.contents.kind === 'log' ? unabsorbed(opened.contents.records.filter((r) => r.stepKey === stepKey), read.applied) : [];
        return merge(stepKey, read.rows, later);
      } finally {
        if (opened) fs.closeSync(opened.fd);
      }
    }
  }

  /**
   * Must be called (outside a transaction) before `complete`, so a log left by a
   * crashed process is absorbed first.
   */
  prepare(sessionId: Id): void {
    this.#journal(sessionId);
  }

  /** Runs inside the caller's transaction; call the returned function once that has committed. */
  complete(sessionId: Id, raw: CompleteStepInput, id: Id, at: string): { checkpoint: Checkpoint; committed: () => void } {
    const parsed = CompleteSchema.safeParse(raw);
    if (!parsed.success) throw new StoreError('invalid_input', `The completed step is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    const input = parsed.data;
    const db = this.#db();
    const session = readSessionRow(db, sessionId);
    const j = this.#current(sessionId);
    if (!j) {
      throw new StoreError('conflict', 'Another Cairn process took over this session while this step was being saved.',
        'Run a session from one window or command at a time, then resume it.');
    }
    const ofStep = j.waiting.filter((w) => w.stepKey === input.stepKey);
    const output = input.output ?? [
      ...(stmt(db, 'SELECT text FROM stream_parts WHERE session_id = ? AND step_key = ? AND attempt = ? ORDER BY seq')
        .pluck().all(sessionId, input.stepKey, input.attempt) as string[]),
      ...ofStep.filter((w) => w.attempt === input.attempt).map((w) => w.text),
    ].join('');
    const outputHash = putBlob(db, output);
    const parent = session.head_id ? readCheckpointRow(db, session.head_id as Id) : null;
    const cp = insertCheckpoint(db, {
      id, sessionId, parent, kind: input.kind, stepKey: input.stepKey, state: input.state ?? null, outputHash, usage: input.usage, createdAt: at,
    });
    stmt(db, 'UPDATE sessions SET head_id = ? WHERE id = ?').run(cp.id, sessionId);
    addUsage(db, sessionId, input.usage, at);
    memoPut(db, input.memoKey, cp);
    // Earlier attempts of the same step are superseded by this result (a later one, if any, is kept).
    stmt(db, 'DELETE FROM stream_parts WHERE session_id = ? AND step_key = ? AND attempt <= ?').run(sessionId, input.stepKey, input.attempt);
    insertParts(db, sessionId, ofStep.filter((w) => w.attempt > input.attempt));
    // Every record of this step in the log is absorbed now; other steps' parts stay where they are.
    if (ofStep.length > 0) mark(db, sessionId, input.stepKey, j.lsn);
    return {
      checkpoint: cp,
      committed: () => {
        j.nextSeq.delete(input.stepKey);
        this.#moved(sessionId, j, (w) => w.stepKey === input.stepKey, ofStep.length > 0 ? 1 : 0);
        this.#markCommit(j, { checkpointId: cp.id, stepKey: input.stepKey, atMs: Date.parse(at) });
      },
    };
  }

  /**
   * Before a backup: moves every waiting part of this process into the database,
   * and absorbs the logs nobody writes any more (left by a crash) so the backup holds them too.
   */
  syncAll(): void {
    for (const sessionId of [...this.#journals.keys()]) {
      const j = this.#current(sessionId);
      if (j) this.#sync(sessionId, j);
    }
    for (const sessionId of this.#otherLogs()) {
      try {
        this.#absorbOrphan(sessionId);
      } catch {
        // An unreadable log stays as it is, for its session's next writer (which reports the fault).
      }
    }
  }

  /**
   * Imports the parts of a log nobody writes any more (its lease is gone, or its
   * process is dead) and marks them absorbed. The file itself is left alone, so a
   * writer starting meanwhile loses nothing; its next writer skips what is marked.
   */
  #absorbOrphan(sessionId: Id): void {
    const db = this.#db();
    db.transaction(() => {
      const lease = stmt(db, 'SELECT * FROM leases WHERE session_id = ?').get(sessionId) as LeaseRow | undefined;
      if (lease && lease.pid !== process.pid && pidAlive(lease.pid)) return;
      const found = readLog(streamLogFile(this.#dataDir, sessionId));
      if (found.kind === 'log' && found.records.length > 0) insertParts(db, sessionId, toImport(db, sessionId, found.records));
    }).immediate();
  }

  /** The sessions that have a log file in the logs folder. */
  #loggedSessions(): Id[] {
    let names: string[];
    try {
      names = fs.readdirSync(streamLogsDir(this.#dataDir));
    } catch {
      return [];
    }
    return names.map(logOwner).filter((id): id is Id => id !== null);
  }

  /** Sessions with a log this process does not write. */
  #otherLogs(): Id[] {
    const db = this.#db();
    const orphans: Id[] = [];
    for (const sessionId of this.#loggedSessions()) {
      if (this.#journals.has(sessionId)) continue;
      if (stmt(db, 'SELECT 1 FROM sessions WHERE id = ?').get(sessionId)) orphans.push(sessionId);
    }
    return orphans;
  }

  /** This process stops writing the session (its lease is released): the waiting parts move in and the log is removed. */
  release(sessionId: Id): void {
    const j = this.#current(sessionId);
    if (!j) return;
    this.#sync(sessionId, j);
    this.#remove(sessionId, j);
  }

  /** Moves what waits into the database and removes the logs (what cannot move stays in its log, synced, for the next writer). */
  close(): void {
    for (const sessionId of [...this.#journals.keys()]) {
      const j = this.#current(sessionId);
      if (!j) continue;
      try {
        this.#sync(sessionId, j);
        this.#remove(sessionId, j);
      } catch {
        this.#syncLogQuietly(j);
        this.#drop(sessionId, j);
      }
    }
  }

  /** After a session is purged: its log goes with it. */
  forget(sessionId: Id): void {
    const j = this.#journals.get(sessionId);
    if (j) this.#drop(sessionId, j);
    fs.rmSync(streamLogFile(this.#dataDir, sessionId), { force: true });
  }

  /**
   * Before the database is replaced by a backup: its logs are renamed aside
   * (`<session>.log.replaced-<stamp>`, the stamp of the database set aside
   * beside them), so neither this process nor a restart imports them into the
   * restored database. `putBackSetAside` returns them if that database was not
   * set aside after all. A rename that fails undoes the ones before it.
   */
  setAsideAll(stamp: string): void {
    for (const [sessionId, j] of [...this.#journals]) this.#drop(sessionId, j);
    const dir = streamLogsDir(this.#dataDir);
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => logOwner(n) !== null);
    } catch {
      return;
    }
    const done: string[] = [];
    try {
      for (const n of names) {
        fs.renameSync(path.join(dir, n), path.join(dir, `${n}.replaced-${stamp}`));
        done.push(n);
      }
    } catch (err) {
      for (const n of done) putBack(dir, `${n}.replaced-${stamp}`, n);
      throw err;
    }
    if (done.length > 0) fsyncDir(dir);
  }

  /**
   * At open and after a restore: logs set aside for a restore whose database
   * swap did not happen (`databaseSetAside(stamp)` is false) go back in place,
   * unless a log of the same session was started since.
   */
  putBackSetAside(databaseSetAside: (stamp: string) => boolean): void {
    const dir = streamLogsDir(this.#dataDir);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const m = SET_ASIDE_NAME.exec(n);
      if (m && logOwner(m[1] as string) && !databaseSetAside(m[2] as string)) putBack(dir, n, m[1] as string);
    }
  }

  #drop(sessionId: Id, j: Journal): void {
    if (j.syncTimer) clearTimeout(j.syncTimer);
    j.syncTimer = null;
    this.#journals.delete(sessionId);
    j.log.close();
  }

  #sync(sessionId: Id, j: Journal): void {
    if (j.waiting.length === 0) return;
    const db = this.#db();
    const waiting = j.waiting;
    const marked = db.transaction(() => insertParts(db, sessionId, waiting)).immediate();
    this.#moved(sessionId, j, () => true, marked);
  }

  /**
   * After a step's commit returned: its mark goes to the log (one write, synced by the log's own rule), so a
   * WAL that is later damaged or lost cannot take the commit with it unnoticed (lostCommits).
   */
  #markCommit(j: Journal, m: CommitMark): void {
    const record = encodeCommitMark(m);
    try {
      j.log.append(record);
    } catch {
      // Evidence only: the step is saved; a full disk that refuses the mark has already been reported.
      return;
    }
    j.lastCommit = record;
    if (j.unsyncedBytes === 0) j.unsyncedSinceMs = this.#nowMs();
    j.unsyncedBytes += record.length;
  }

  /** Every session log whose commit marks name checkpoints the database does not hold. */
  lostCommits(): LostCommits[] {
    const db = this.#db();
    const out: LostCommits[] = [];
    for (const sessionId of this.#loggedSessions()) {
      const file = streamLogFile(this.#dataDir, sessionId);
      let found: LogContents;
      try {
        found = readLog(file);
      } catch {
        continue;
      }
      if (found.kind !== 'log') continue;
      const steps = found.commits.filter((m) => !stmt(db, 'SELECT 1 FROM checkpoints WHERE id = ?').get(m.checkpointId));
      if (steps.length > 0) out.push({ sessionId, log: file, steps });
    }
    return out;
  }

  /** After a commit absorbed some waiting parts (and marked `marked` steps). */
  #moved(sessionId: Id, j: Journal, absorbed: (w: Waiting) => boolean, marked: number): void {
    j.waiting = j.waiting.filter((w) => !absorbed(w));
    j.waitingBytes = j.waiting.reduce((n, w) => n + Buffer.byteLength(w.text), 0);
    j.marked += marked;
    if (j.marked >= COMPACT_MARKS || j.log.size > COMPACT_LOG_BYTES) this.#compact(sessionId, j);
  }

  /**
   * Rewrites the log with only what waits (fsync'd before it replaces the old
   * one), so no mark is needed any more. Runs after a commit, so it never throws:
   * if it fails, the old log and the marks stay, and it is tried again later.
   */
  #compact(sessionId: Id, j: Journal): void {
    const kept = j.waiting.map((w) => encodeRecord({ lsn: w.lsn, atMs: Date.parse(w.at), stepKey: w.stepKey, attempt: w.attempt, seq: w.seq, text: w.text }));
    if (j.lastCommit) kept.push(j.lastCommit);
    let fresh: LogWriter;
    try {
      fresh = LogWriter.create(streamLogFile(this.#dataDir, sessionId), kept);
    } catch {
      return;
    }
    const old = j.log;
    j.log = fresh;
    j.unsyncedBytes = 0;
    j.marked = 0;
    try {
      old.close();
    } catch {
      // The old log is replaced either way.
    }
    try {
      this.#dropMarks(sessionId, j.lsn);
    } catch {
      // Marks that stay are harmless: the next compaction drops them.
    }
  }

  /** Removes the log file (its parts are all in the database); the marks it needed go after. */
  #remove(sessionId: Id, j: Journal): void {
    this.#drop(sessionId, j);
    fs.rmSync(streamLogFile(this.#dataDir, sessionId), { force: true });
    fsyncDir(streamLogsDir(this.#dataDir));
    this.#dropMarks(sessionId, j.lsn);
  }

  /** Marks at or below `lsn` only filtered records of a log that is gone for good (its replacement was fsync'd in place). */
  #dropMarks(sessionId: Id, lsn: number): void {
    stmt(this.#db(), 'DELETE FROM stream_log_marks WHERE session_id = ? AND applied_lsn <= ?').run(sessionId, lsn);
  }

  /**
   * This process's journal of a session, if it is still the session's writer.
   * A writer that came later put a new log file in place (or removed it after
   * moving everything in); then this journal is dropped: its waiting parts were
   * in the log that writer absorbed.
   */
  #current(sessionId: Id): Journal | null {
    const j = this.#journals.get(sessionId);
    if (!j) return null;
    const onDisk = statQuietly(streamLogFile(this.#dataDir, sessionId));
    if (onDisk !== null && j.log.isFile(onDisk)) return j;
    this.#drop(sessionId, j);
    return null;
  }

  /**
   * This process starts writing a session. A log left behind (by a crash, a
   * kill, or a writer this one replaces) is absorbed into the database in one
   * commit; then a new empty log takes its place.
   */
  #journal(sessionId: Id): Journal {
    const existing = this.#current(sessionId);
    if (existing) return existing;
    const db = this.#db();
    const file = streamLogFile(this.#dataDir, sessionId);
    ensurePrivateDir(streamLogsDir(this.#dataDir));
    // Read and import under the write lock, so two processes starting at once cannot both import.
    const { contents, hadMarks, lsn } = db.transaction(() => {
      const found = readLog(file);
      const applied = marks(db, sessionId);
      let last = Math.max(0, ...applied.values());
      if (found.kind === 'log' && found.records.length > 0) {
        insertParts(db, sessionId, toImport(db, sessionId, found.records));
        last = found.records.reduce((m, r) => Math.max(m, r.lsn), last);
      }
      return { contents: found, hadMarks: applied.size > 0, lsn: last };
    }).immediate();
    if (contents.kind === 'foreign' || damagedLog(contents)) {
      // Not a stream log, or one whose records stop at damage (its whole records were imported above):
      // keep it for inspection, never overwrite it.
      fs.renameSync(file, `${file}.corrupt-${fileStamp(new Date(this.#nowMs()))}`);
    }
    // The newest commit the database still holds stays marked in the new log (a mark of a lost one is not
    // carried: the old log with it was kept aside when the loss was found, see CheckpointStore).
    const held = contents.kind === 'log' ? contents.commits.filter((m) => stmt(db, 'SELECT 1 FROM checkpoints WHERE id = ?').get(m.checkpointId)).at(-1) : undefined;
    const lastCommit = held ? encodeCommitMark(held) : null;
    const j: Journal = {
      log: LogWriter.create(file, lastCommit ? [lastCommit] : []), lsn, waiting: [], waitingBytes: 0, unsyncedBytes: 0, unsyncedSinceMs: 0, nextSeq: new Map(), syncTimer: null, marked: 0, lastCommit,
    };
    this.#journals.set(sessionId, j);
    if (hadMarks || contents.kind === 'log') this.#dropMarks(sessionId, lsn);
    return j;
  }
}

/**
 * A log with its header whose bytes do not all decode: a record failed its CRC or was cut short (disk damage,
 * or a power cut that tore the last write). A header cut short while the file was created is no damage.
 */
function damagedLog(contents: LogContents): boolean {
  return contents.kind === 'log' && contents.totalBytes >= LOG_MAGIC.length && contents.validBytes < contents.totalBytes;
}
