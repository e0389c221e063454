// One process runs a session at a time. A lease names the owner and its pid;
// it is stale when the pid is gone or the heartbeat is older than LEASE_STALE_MS,
// and a stale lease is taken over.
import { readFileSync } from 'node:fs';
import { stmt } from './statements.ts';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Id, SessionStatus } from '../../shared/domain.ts';
import { isActive, LIVE_STATUSES } from '../../shared/session-state.ts';
import { StoreError } from './errors.ts';
import { readSessionRow } from './sessions.ts';
import type { Lease } from './types.ts';

export const LEASE_STALE_MS = 10_000;

export interface LeaseRow { session_id: string; owner: string; pid: number; heartbeat_ms: number }

export function parseOwner(raw: unknown): string {
  const parsed = z.string().min(1).max(200).safeParse(raw);
  if (!parsed.success) throw new StoreError('invalid_input', 'A lease owner must be 1 to 200 characters.');
  return parsed.data;
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EPERM' && !isZombie(pid);
  }
  return !isZombie(pid);
}

/**
 * A killed process stays a zombie until its parent reaps it, and signal 0 still
 * reaches it; where reaping waits (a container's init, a busy parent) its lease
 * would look held for up to the stale time. Linux says so in /proc; elsewhere
 * the heartbeat covers it.
 */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state …: comm may hold spaces and parentheses, so the state follows the last ") ".
    return stat.charAt(stat.lastIndexOf(') ') + 2) === 'Z';
  } catch {
    return false;
  }
}

export function isStale(row: LeaseRow, nowMs: number): boolean {
  return !pidAlive(row.pid) || nowMs - row.heartbeat_ms > LEASE_STALE_MS;
}

/** A session whose lease a live process holds (heartbeat fresh), if any. */
export function liveLease(db: Database.Database, nowMs: number): Id | null {
  const rows = db.prepare('SELECT * FROM leases').all() as LeaseRow[];
  return (rows.find((r) => !isStale(r, nowMs))?.session_id as Id | undefined) ?? null;
}

function toLease(row: LeaseRow): Lease {
  return { sessionId: row.session_id, owner: row.owner, pid: row.pid, heartbeatAt: new Date(row.heartbeat_ms).toISOString() };
}

/** Runs inside an IMMEDIATE transaction so two processes cannot both see the lease free. */
export function acquire(db: Database.Database, sessionId: Id, owner: string, nowMs: number): Lease | null {
  readSessionRow(db, sessionId);
  const row = stmt(db, 'SELECT * FROM leases WHERE session_id = ?').get(sessionId) as LeaseRow | undefined;
  const mine = row !== undefined && row.owner === owner && row.pid === process.pid;
  if (row && !mine && !isStale(row, nowMs)) return null;
  stmt(db, `INSERT INTO leases (session_id, owner, pid, heartbeat_ms) VALUES (?, ?, ?, ?)
    ON CONFLICT(session_id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, heartbeat_ms = excluded.heartbeat_ms`)
    .run(sessionId, owner, process.pid, nowMs);
  return toLease({ session_id: sessionId, owner, pid: process.pid, heartbeat_ms: nowMs });
}

export function heartbeat(db: Database.Database, sessionId: Id, owner: string, nowMs: number): boolean {
  const result = stmt(db, 'UPDATE leases SET heartbeat_ms = ? WHERE session_id = ? AND owner = ? AND pid = ?').run(nowMs, sessionId, owner, process.pid);
  return result.changes === 1;
}

export function release(db: Database.Database, sessionId: Id, owner: string): void {
  stmt(db, 'DELETE FROM leases WHERE session_id = ? AND owner = ? AND pid = ?').run(sessionId, owner, process.pid);
}

/**
 * Sessions that read as a live run (`isActive`: running, or waiting for a retry
 * time) whose lease is gone or stale become interrupted. An older database's
 * settled wait (passages gave up, retry_at NULL) is no run and is left as it is.
 */
export function recoverInterrupted(db: Database.Database, nowMs: number, at: string): Id[] {
  const rows = (stmt(db, `SELECT s.id, s.status, s.retry_at, l.session_id AS leased, l.owner, l.pid, l.heartbeat_ms FROM sessions s
    LEFT JOIN leases l ON l.session_id = s.id
    WHERE s.status IN (${LIVE_STATUSES.map(() => '?').join(', ')})`).all(...LIVE_STATUSES) as Array<{ id: Id; status: SessionStatus; retry_at: string | null; leased: string | null } & Partial<LeaseRow>>)
    .filter((r) => isActive({ status: r.status, retryAt: r.retry_at }));
  const recovered: Id[] = [];
  const reason = JSON.stringify({
    code: 'interrupted',
    message: 'The process running this session stopped before it finished. Everything it completed is saved.',
    hint: 'Press Resume to continue from the last checkpoint.',
  });
  for (const r of rows) {
    const stale = r.leased === null || isStale({ session_id: r.id, owner: r.owner ?? '', pid: r.pid ?? 0, heartbeat_ms: r.heartbeat_ms ?? 0 }, nowMs);
    if (!stale) continue;
    stmt(db, 'DELETE FROM leases WHERE session_id = ?').run(r.id);
    stmt(db, `UPDATE sessions SET status = 'interrupted', reason = ?, retry_at = NULL, updated_at = ? WHERE id = ?`).run(reason, at, r.id);
    recovered.push(r.id);
  }
  return recovered;
}
