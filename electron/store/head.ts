// The head of a session moves; checkpoints never do. Rollback and its undo are
// recorded in head_moves; a fork is a new session whose root checkpoint's
// parent is an existing checkpoint (possibly in another session).
import { stmt } from './statements.ts';
import type Database from 'better-sqlite3';
import { SessionConfigSchema, type Id, type JsonValue, type SessionConfig } from '../../shared/domain.ts';
import { StoreError } from './errors.ts';
import { insertCheckpoint, pathIds, readCheckpointRow } from './checkpoints.ts';
import { insertSession, readSessionRow, rowToSession, validName } from './sessions.ts';

/** Runs inside the caller's transaction. Returns how many head-path checkpoints the move hides. */
export function rollback(db: Database.Database, sessionId: Id, checkpointId: Id, at: string): number {
  const session = readSessionRow(db, sessionId);
  const target = readCheckpointRow(db, checkpointId);
  if (target.session_id !== sessionId) {
    throw new StoreError('invalid_input', `Checkpoint ${checkpointId} belongs to another session.`, 'Fork from it instead of rolling back to it.');
  }
  const targetPath = new Set(pathIds(db, checkpointId));
  const hidden = pathIds(db, session.head_id as Id | null).filter((id) => !targetPath.has(id)).length;
  stmt(db, `INSERT INTO head_moves (session_id, kind, from_id, to_id, at) VALUES (?, 'rollback', ?, ?, ?)`)
    .run(sessionId, session.head_id, checkpointId, at);
  stmt(db, 'UPDATE sessions SET head_id = ?, updated_at = ? WHERE id = ?').run(checkpointId, at, sessionId);
  return hidden;
}

export function undoRollback(db: Database.Database, sessionId: Id, at: string): void {
  readSessionRow(db, sessionId);
  const move = stmt(db, `SELECT id, from_id FROM head_moves WHERE session_id = ? AND kind = 'rollback' AND undone = 0 ORDER BY id DESC LIMIT 1`)
    .get(sessionId) as { id: number; from_id: string | null } | undefined;
  if (!move) throw new StoreError('conflict', 'There is no rollback to undo in this session.');
  const session = readSessionRow(db, sessionId);
  stmt(db, 'UPDATE head_moves SET undone = 1 WHERE id = ?').run(move.id);
  stmt(db, `INSERT INTO head_moves (session_id, kind, from_id, to_id, at) VALUES (?, 'undo', ?, ?, ?)`).run(sessionId, session.head_id, move.from_id, at);
  stmt(db, 'UPDATE sessions SET head_id = ?, updated_at = ? WHERE id = ?').run(move.from_id, at, sessionId);
}

export function fork(
  db: Database.Database, sessionId: Id, checkpointId: Id, newSessionId: Id, rootId: Id, at: string,
  opts: { name?: string; config?: SessionConfig } = {},
): void {
  const source = rowToSession(readSessionRow(db, sessionId));
  const from = readCheckpointRow(db, checkpointId);
  const onTree = from.session_id === sessionId || pathIds(db, source.headId).includes(checkpointId);
  if (!onTree) throw new StoreError('invalid_input', `Checkpoint ${checkpointId} is not part of session ${sessionId}.`);
  const config = opts.config === undefined ? source.config : SessionConfigSchema.parse(opts.config);
  const name = opts.name === undefined ? validName(`${source.name} (fork)`.slice(0, 200)) : validName(opts.name);
  insertSession(db, newSessionId, { name, config }, at, { sessionId, checkpointId });
  const state: JsonValue = { forkOf: { sessionId, checkpointId }, configReplaced: opts.config !== undefined, config: opts.config === undefined ? null : (JSON.parse(JSON.stringify(config)) as JsonValue) };
  const root = insertCheckpoint(db, {
    id: rootId, sessionId: newSessionId, parent: from, kind: 'fork', stepKey: null, state, outputHash: null,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0, estimated: false }, createdAt: at,
  });
  stmt(db, 'UPDATE sessions SET head_id = ? WHERE id = ?').run(root.id, newSessionId);
}
