// Session rows: create, list by last activity, patch, archive, trash.
import { stmt } from './statements.ts';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  IdSchema, MAX_NAME, ProgressSchema, ReasonSchema, SessionConfigSchema, SessionSchema, SessionStatusSchema,
  UsageSchema, ZERO_USAGE, type Id, type Session, type Usage,
} from '../../shared/domain.ts';
import { canTransition, normalizeSettledWait } from '../../shared/session-state.ts';
import { StoreError } from './errors.ts';
import { clampLimit, decodeCursor, encodeCursor } from './cursor.ts';
import type { ListSessionsQuery, NewSessionInput, Page, SessionPatch } from './types.ts';

export interface SessionRow {
  id: string;
  name: string;
  status: string;
  reason: string | null;
  retry_at: string | null;
  progress: string;
  usage: string;
  config: string;
  head_id: string | null;
  fork_session_id: string | null;
  fork_checkpoint_id: string | null;
  created_at: string;
  updated_at: string;
  archived: number;
  trashed_at: string | null;
}

export function rowToSession(row: SessionRow): Session {
  const parsed = SessionSchema.safeParse({
    id: row.id,
    name: row.name,
    status: row.status,
    reason: row.reason === null ? null : JSON.parse(row.reason),
    retryAt: row.retry_at,
    progress: JSON.parse(row.progress),
    usage: JSON.parse(row.usage),
    config: JSON.parse(row.config),
    headId: row.head_id,
    forkOf: row.fork_session_id && row.fork_checkpoint_id ? { sessionId: row.fork_session_id, checkpointId: row.fork_checkpoint_id } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archived: row.archived === 1,
    trashed: row.trashed_at !== null,
  });
  if (!parsed.success) {
    throw new StoreError('corrupt', `Session ${row.id} has a damaged record (${parsed.error.issues[0]?.message ?? 'invalid'}).`, 'Run Verify from the Backups panel; restore this session from a backup if needed.');
  }
  return normalizeSettledWait(parsed.data);
}

export function readSessionRow(db: Database.Database, id: Id): SessionRow {
  const row = stmt(db, 'SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
  if (!row) throw new StoreError('not_found', `There is no session ${id}.`, 'It may have been deleted; refresh the session list.');
  return row;
}

export function validName(name: unknown): string {
  const parsed = z.string().trim().min(1).max(MAX_NAME).safeParse(name);
  if (!parsed.success) throw new StoreError('invalid_input', `A session name must be 1 to ${MAX_NAME} characters.`);
  return parsed.data;
}

export function insertSession(
  db: Database.Database, id: Id, input: NewSessionInput, at: string,
  forkOf: { sessionId: Id; checkpointId: Id } | null = null,
): void {
  const config = SessionConfigSchema.safeParse(input.config);
  if (!config.success) throw new StoreError('invalid_input', `The session settings are invalid: ${config.error.issues[0]?.message ?? ''}`);
  stmt(db, `INSERT INTO sessions (id, name, status, reason, retry_at, progress, usage, config, head_id,
      fork_session_id, fork_checkpoint_id, created_at, updated_at, archived, trashed_at)
    VALUES (?, ?, 'created', NULL, NULL, ?, ?, ?, NULL, ?, ?, ?, ?, 0, NULL)`).run(
    id, validName(input.name), JSON.stringify(ProgressSchema.parse({ done: 0, total: 0 })), JSON.stringify(ZERO_USAGE),
    JSON.stringify(config.data), forkOf?.sessionId ?? null, forkOf?.checkpointId ?? null, at, at,
  );
}

const SessionCursor = z.tuple([z.string().max(64), IdSchema]);

export function listSessions(db: Database.Database, q: ListSessionsQuery = {}): Page<Session> {
  const limit = clampLimit(q.limit, 100, 1_000);
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.onlyTrashed) where.push('trashed_at IS NOT NULL');
  else {
    if (!q.includeArchived) where.push('archived = 0');
    if (!q.includeTrashed) where.push('trashed_at IS NULL');
  }
  if (q.status !== undefined) {
    // A wait with no retry time (an older Cairn's settled wait) is listed as what it reads as: paused.
    const status = SessionStatusSchema.parse(q.status);
    if (status === 'paused') where.push("(status = 'paused' OR (status = 'waiting' AND retry_at IS NULL))");
    else if (status === 'waiting') where.push("(status = 'waiting' AND retry_at IS NOT NULL)");
    else {
      where.push('status = ?');
      args.push(status);
    }
  }
  if (q.query) {
    where.push("name LIKE ? ESCAPE '\\'");
    args.push(`%${q.query.slice(0, MAX_NAME).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (q.cursor !== undefined) {
    const [updatedAt, id] = decodeCursor(q.cursor, SessionCursor);
    where.push('(updated_at < ? OR (updated_at = ? AND id < ?))');
    args.push(updatedAt, updatedAt, id);
  }
  const sql = `SELECT * FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY updated_at DESC, id DESC LIMIT ?`;
  const rows = stmt(db, sql).all(...args, limit + 1) as SessionRow[];
  const items = rows.slice(0, limit).map(rowToSession);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor([last.updated_at, last.id]) : null };
}

export function patchSession(db: Database.Database, id: Id, patch: SessionPatch, at: string): void {
  const row = readSessionRow(db, id);
  const status = patch.status ?? row.status;
  const retryAt = patch.retryAt !== undefined ? patch.retryAt : row.retry_at;
  // Stopped is for good: nothing moves a session out of it (it can still be forked or exported).
  if (row.status === 'stopped' && patch.status !== undefined && !canTransition('stopped', patch.status)) {
    throw new StoreError('conflict', 'This session was stopped for good, so it cannot run or change status again.', 'Fork it from a checkpoint on its Timeline to continue.');
  }
  if (status === 'waiting' && retryAt === null) {
    throw new StoreError('invalid_input', 'A session waits only for a retry time, and none was given.', 'Pause the session with its reason instead.');
  }
  const sets: string[] = ['updated_at = ?'];
  const args: (string | null)[] = [at];
  if (patch.status !== undefined) { sets.push('status = ?'); args.push(SessionStatusSchema.parse(patch.status)); }
  if (patch.reason !== undefined) { sets.push('reason = ?'); args.push(patch.reason === null ? null : JSON.stringify(ReasonSchema.parse(patch.reason))); }
  if (patch.retryAt !== undefined) { sets.push('retry_at = ?'); args.push(patch.retryAt === null ? null : z.iso.datetime().parse(patch.retryAt)); }
  if (patch.progress !== undefined) { sets.push('progress = ?'); args.push(JSON.stringify(ProgressSchema.parse(patch.progress))); }
  if (patch.name !== undefined) { sets.push('name = ?'); args.push(validName(patch.name)); }
  if (patch.config !== undefined) { sets.push('config = ?'); args.push(JSON.stringify(SessionConfigSchema.parse(patch.config))); }
  stmt(db, `UPDATE sessions SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
}

export function addUsage(db: Database.Database, id: Id, usage: Usage, at: string): void {
  const row = readSessionRow(db, id);
  const total = UsageSchema.parse(JSON.parse(row.usage));
  const next: Usage = {
    inputTokens: total.inputTokens + usage.inputTokens,
    outputTokens: total.outputTokens + usage.outputTokens,
    costUsd: total.costUsd + usage.costUsd,
    estimated: total.estimated || usage.estimated,
  };
  stmt(db, 'UPDATE sessions SET usage = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(next), at, id);
}
