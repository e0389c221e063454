// The checkpoint store's public surface. The engine, the CLI and the desktop
// shell program against this interface; `checkpoint-store.ts` implements it on
// SQLite. Pure types: no Node, no Electron.
import type {
  BackupInfo, Checkpoint, CheckpointKind, Id, JsonValue, Progress, Reason, Session, SessionConfig,
  SessionStatus, TimelineRow, Usage,
} from '../../shared/domain.ts';
import type { VerifyReport } from '../../shared/ipc/checkpoints.ts';
import type { BackupSession } from '../../shared/ipc/backups.ts';

/** Typed store failures with a message a person can act on. */
export type StoreErrorCode =
  | 'not_found'
  | 'invalid_id'
  | 'invalid_input'
  | 'corrupt' // file is damaged or not a Cairn database; it was moved aside
  | 'newer_schema' // written by a newer Cairn; never opened for writing
  | 'data_dir_unusable' // the data directory is a file, or cannot be created
  | 'disk_full'
  | 'read_only'
  | 'permission_denied'
  | 'busy'
  | 'io_error'
  | 'lease_held'
  | 'conflict'
  | 'duplicate'; // the session being brought in is already here

export interface NewSessionInput {
  name: string;
  config: SessionConfig;
}

export interface ListSessionsQuery {
  limit?: number;
  cursor?: string;
  status?: SessionStatus;
  query?: string;
  includeArchived?: boolean;
  includeTrashed?: boolean;
  /** The trash: only trashed sessions (archived or not), most recently active first. */
  onlyTrashed?: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface NewCheckpoint {
  kind: CheckpointKind;
  stepKey?: string | null;
  /** Small structured state (ids, indexes, hashes). Large text goes in `output`. */
  state?: JsonValue;
  /** Large text stored once as a content-addressed blob. */
  output?: string | null;
  usage?: Usage;
}

export interface CompleteStepInput {
  stepKey: string;
  attempt: number;
  kind: CheckpointKind;
  /** hash(input, task, model, parameters): the memo key. */
  memoKey: string;
  state?: JsonValue;
  usage: Usage;
  /**
   * The full output. When omitted, the persisted stream parts of this
   * (stepKey, attempt) are folded into the output.
   */
  output?: string;
}

export interface MemoHit {
  memoKey: string;
  output: string;
  usage: Usage;
  checkpointId: Id;
  kind: CheckpointKind;
  state: JsonValue;
}

/** A checkpoint on a head path, as far as a resume needs it: what it is, which step, where its output is. */
export interface StepRef {
  id: Id;
  kind: CheckpointKind;
  stepKey: string | null;
  outputHash: string | null;
}

export interface PartialStream {
  stepKey: string;
  attempt: number;
  text: string;
  parts: number;
  updatedAt: string;
}

export interface Lease {
  sessionId: Id;
  owner: string;
  pid: number;
  heartbeatAt: string;
}

export interface SessionPatch {
  status?: SessionStatus;
  reason?: Reason | null;
  retryAt?: string | null;
  progress?: Progress;
  name?: string;
  config?: SessionConfig;
}

export interface BackupOptions {
  reason?: string;
}

export interface ImportResult {
  session: Session;
  /** The file's session was already here and `onDuplicate: 'skip'` left it: `session` is that copy. */
  skipped: boolean;
  /** The session here that holds the same history, if any. */
  duplicateOf: Id | null;
}

export interface RestoreResult {
  safetyBackupId: string | null;
  restoredSessions: Id[];
}

export interface CheckpointStoreApi {
  readonly dataDir: string;
  close(): void;

  // sessions
  createSession(input: NewSessionInput): Session;
  listSessions(query?: ListSessionsQuery): Page<Session>;
  getSession(id: string): Session;
  updateSession(id: string, patch: SessionPatch): Session;
  archiveSession(id: string, archived?: boolean): Session;
  /** Moves to trash; data stays until emptyTrash(). */
  deleteSession(id: string): void;
  restoreSession(id: string): Session;
  emptyTrash(): number;

  // checkpoints and blobs
  /** Appends a child of the session's head and moves the head to it. */
  appendCheckpoint(sessionId: string, cp: NewCheckpoint): Checkpoint;
  getCheckpoint(id: string): Checkpoint;
  getBlob(hash: string): string;
  putBlob(text: string): string;
  /** Checkpoints from the root to the head, oldest first: the session's current branch. */
  headPath(sessionId: string): Checkpoint[];
  /** Which steps of these kinds the head path holds, oldest first: a narrow headPath that reads (and validates) four columns of them and nothing of the rest. */
  headPathSteps(sessionId: string, kinds: readonly CheckpointKind[]): StepRef[];
  /** Checkpoints of one kind and step on the head path, oldest first (a narrow headPath). */
  stepOnHeadPath(sessionId: string, kind: CheckpointKind, stepKey: string): Checkpoint[];
  /** Newest first, paginated, one indexed query. */
  timeline(sessionId: string, opts?: { limit?: number; cursor?: string }): Page<TimelineRow> & { total: number };

  // streaming
  appendStreamPart(sessionId: string, stepKey: string, attempt: number, text: string): void;
  partial(sessionId: string, stepKey: string): PartialStream | null;
  /** Folds the stream parts into one blob and writes checkpoint + memo in one transaction. */
  completeStep(sessionId: string, input: CompleteStepInput): Checkpoint;
  memoGet(memoKey: string): MemoHit | null;

  // head
  /** Takes an automatic backup first; `backupId` names it (added: optional, so existing fakes still conform). */
  rollback(sessionId: string, checkpointId: string): { session: Session; hidden: number; backupId?: string | null };
  undoRollback(sessionId: string): Session;
  fork(sessionId: string, checkpointId: string, opts?: { name?: string; config?: SessionConfig }): Session;

  // leases: one process runs a session at a time
  acquireLease(sessionId: string, owner: string): Lease | null;
  heartbeat(sessionId: string, owner: string): boolean;
  releaseLease(sessionId: string, owner: string): void;
  /** Sessions running (or waiting for a retry time) whose lease is stale or absent: marks them interrupted. */
  recoverInterrupted(): Id[];

  // integrity
  verify(sessionId?: string): VerifyReport;

  // backups
  createBackup(opts?: BackupOptions): Promise<BackupInfo>;
  listBackups(): BackupInfo[];
  verifyBackup(id: string): BackupInfo;
  backupSessions(id: string): BackupSession[];
  restoreBackup(id: string, mode: 'replace' | 'new-session', sessionIds?: string | readonly string[]): Promise<RestoreResult>;
  pruneBackups(policy: { keepLast: number; dailyDays: number }): string[];
  exportSession(sessionId: string, file: string): void;
  importSession(file: string, opts?: { onDuplicate?: 'refuse' | 'skip' | 'keep-both' }): ImportResult;
}
