// One session as a portable JSON file: its checkpoints (with the ancestors a
// fork depends on) and the texts they refer to. Import checks every hash with
// the original ids, then writes the session under new ids.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  CheckpointSchema, MAX_NAME, ProgressSchema, ReasonSchema, SessionConfigSchema, SessionStatusSchema, UsageSchema, type Checkpoint, type Id, type Reason, type SessionStatus,
} from '../../shared/domain.ts';
import { statusOnArrival } from '../../shared/session-state.ts';
import { StoreError } from './errors.ts';
import { checkpointColumns, checkpointHash, getBlob, insertCheckpoint, pathTo, putBlob, readCheckpointRow, rowToCheckpoint, type CheckpointRow } from './checkpoints.ts';
import { canonicalJson, sha256 } from './hashing.ts';
import { insertSession, readSessionRow, rowToSession } from './sessions.ts';

export const PortableSessionSchema = z.strictObject({
  format: z.literal('cairn-session'),
  version: z.literal(1),
  exportedAt: z.string().max(64),
  appVersion: z.string().max(50),
  session: z.strictObject({
    name: z.string().min(1).max(MAX_NAME),
    config: SessionConfigSchema,
    progress: ProgressSchema,
    usage: UsageSchema,
    headId: CheckpointSchema.shape.id.nullable(),
    // Files written before these were kept have none: the status is then read from the head (see arrivalStatus).
    status: SessionStatusSchema.optional(),
    reason: ReasonSchema.nullable().optional(),
    retryAt: z.string().max(64).nullable().optional(),
  }),
  checkpoints: z.array(CheckpointSchema).max(1_000_000),
  blobs: z.array(z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/), text: z.string() })).max(1_000_000),
});
export type PortableSession = z.infer<typeof PortableSessionSchema>;

export function exportPortable(db: Database.Database, sessionId: Id, exportedAt: string, appVersion: string): PortableSession {
  const session = rowToSession(readSessionRow(db, sessionId));
  const own = db.prepare(`SELECT ${checkpointColumns('c')} FROM checkpoints c WHERE c.session_id = ? ORDER BY c.id`).all(sessionId) as CheckpointRow[];
  const byId = new Map<string, CheckpointRow>();
  // A fork's root has a parent in another session: carry that ancestry along.
  for (const row of own) {
    if (row.parent_id !== null && !own.some((r) => r.id === row.parent_id)) {
      for (const a of pathTo(db, row.parent_id as Id)) byId.set(a.id, a);
    }
  }
  for (const row of own) byId.set(row.id, row);
  const checkpoints = [...byId.values()].map(rowToCheckpoint);
  const hashes = new Set(checkpoints.map((c) => c.outputHash).filter((h): h is string => h !== null));
  return {
    format: 'cairn-session',
    version: 1,
    exportedAt,
    appVersion,
    session: {
      name: session.name, config: session.config, progress: session.progress, usage: session.usage, headId: session.headId,
      status: session.status, reason: session.reason, retryAt: session.retryAt,
    },
    checkpoints,
    blobs: [...hashes].map((hash) => ({ hash, text: getBlob(db, hash) })),
  };
}

function topological(checkpoints: Checkpoint[]): Checkpoint[] {
  // A session that was created but never started has no checkpoints yet; it is still a session.
  if (checkpoints.length === 0) return [];
  const ids = new Set(checkpoints.map((c) => c.id));
  const children = new Map<string | null, Checkpoint[]>();
  for (const c of checkpoints) {
    const key = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null;
    children.set(key, [...(children.get(key) ?? []), c]);
  }
  const roots = children.get(null) ?? [];
  if (roots.length !== 1) throw new StoreError('invalid_input', `The session file has ${roots.length} roots; a session has exactly one.`);
  const out: Checkpoint[] = [];
  const stack = [...roots];
  while (stack.length) {
    const c = stack.pop() as Checkpoint;
    out.push(c);
    stack.push(...(children.get(c.id) ?? []));
  }
  if (out.length !== checkpoints.length) throw new StoreError('invalid_input', 'The session file has checkpoints that do not connect to its root.');
  return out;
}

export function parsePortable(raw: unknown): PortableSession {
  const parsed = PortableSessionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StoreError('invalid_input', `This is not a valid Cairn session file (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`, 'Export the session again from Cairn and import that file.');
  }
  return parsed.data;
}

/** What two copies of a session share whatever their ids: the head path's steps, texts, states and times. */
function fingerprint(path: ReadonlyArray<Pick<Checkpoint, 'kind' | 'stepKey' | 'outputHash' | 'createdAt' | 'state'>>): string {
  return sha256(path.map((c) => `${c.kind}|${c.stepKey ?? ''}|${c.outputHash ?? ''}|${c.createdAt}|${canonicalJson(c.state)}`).join('\n'));
}

/**
 * A session here (not in the trash) that holds the same history as the file: an earlier
 * import of it, or the session it was exported from. Sessions with no checkpoint yet
 * match on their name and settings.
 */
export function findCopyOf(db: Database.Database, file: PortableSession): Id | null {
  const s = file.session;
  if (s.headId === null) {
    const config = JSON.stringify(s.config);
    const rows = db.prepare(`SELECT id, name, config FROM sessions WHERE head_id IS NULL AND trashed_at IS NULL`).all() as Array<{ id: Id; name: string; config: string }>;
    const same = rows.find((r) => (r.name === s.name || r.name.startsWith(`${s.name} (`)) && JSON.stringify(SessionConfigSchema.parse(JSON.parse(r.config))) === config);
    return same?.id ?? null;
  }
  const byId = new Map(file.checkpoints.map((c) => [c.id, c]));
  const path: Checkpoint[] = [];
  for (let c = byId.get(s.headId); c; c = c.parentId === null ? undefined : byId.get(c.parentId)) path.unshift(c);
  const head = path.at(-1);
  if (!head) return null;
  const want = fingerprint(path);
  const candidates = db.prepare(`SELECT s.id, s.head_id FROM sessions s JOIN checkpoints c ON c.id = s.head_id
    WHERE s.trashed_at IS NULL AND c.kind = ? AND c.created_at = ?`).all(head.kind, head.createdAt) as Array<{ id: Id; head_id: Id }>;
  for (const cand of candidates) {
    if (fingerprint(pathTo(db, cand.head_id).map(rowToCheckpoint)) === want) return cand.id;
  }
  return null;
}

/** Checks the file's own hashes, then inserts it as a new session. Runs in the caller's transaction. */
export function importPortable(db: Database.Database, raw: unknown, newId: () => Id, at: string, nameSuffix: string): Id {
  const file = parsePortable(raw);
  const texts = new Map<string, string>();
  for (const b of file.blobs) {
    if (sha256(b.text) !== b.hash) throw new StoreError('invalid_input', `The session file is damaged: text ${b.hash.slice(0, 12)}… does not match its hash.`);
    texts.set(b.hash, b.text);
  }
  const ordered = topological(file.checkpoints);
  const originalHash = new Map<string, string>();
  for (const c of ordered) {
    const parentHash = c.parentId !== null ? originalHash.get(c.parentId) : undefined;
    const { hash, ...content } = c;
    // The root may point at a parent outside the file; its stored hash is then taken as given.
    if (parentHash !== undefined || c.parentId === null) {
      if (checkpointHash(parentHash ?? '', content) !== hash) throw new StoreError('invalid_input', `The session file is damaged: checkpoint ${c.id} does not match its hash.`);
    }
    if (c.outputHash !== null && !texts.has(c.outputHash)) throw new StoreError('invalid_input', `The session file is missing the text of checkpoint ${c.id}.`);
    originalHash.set(c.id, hash);
  }
  if (file.session.headId !== null && !originalHash.has(file.session.headId)) throw new StoreError('invalid_input', 'The session file\'s head is not one of its checkpoints.');

  const sessionId = newId();
  const name = `${file.session.name}${nameSuffix}`.slice(0, MAX_NAME);
  insertSession(db, sessionId, { name, config: file.session.config }, at);
  const mapped = new Map<string, Checkpoint>();
  for (const c of ordered) {
    if (c.outputHash !== null) putBlob(db, texts.get(c.outputHash) as string);
    const parentNew = c.parentId !== null ? mapped.get(c.parentId) : undefined;
    const parent = parentNew ? readCheckpointRow(db, parentNew.id) : null;
    const inserted = insertCheckpoint(db, {
      id: newId(), sessionId, parent, kind: c.kind, stepKey: c.stepKey, state: c.state, outputHash: c.outputHash, usage: c.usage, createdAt: c.createdAt,
    });
    mapped.set(c.id, inserted);
  }
  const head = file.session.headId !== null ? mapped.get(file.session.headId)?.id ?? null : null;
  const arrived = arrivalStatus(file);
  db.prepare(`UPDATE sessions SET head_id = ?, progress = ?, usage = ?, status = ?, reason = ?, retry_at = NULL WHERE id = ?`).run(
    head, JSON.stringify(file.session.progress), JSON.stringify(file.session.usage),
    arrived.status, arrived.reason === null ? null : JSON.stringify(arrived.reason), sessionId,
  );
  return sessionId;
}

/**
 * The status the session keeps (a run does not come along: a live one arrives interrupted).
 * An older file carries none: done if its head holds the report, a draft with no step, else interrupted.
 */
function arrivalStatus(file: PortableSession): { status: SessionStatus; reason: Reason | null } {
  const s = file.session;
  if (s.status !== undefined) return statusOnArrival({ status: s.status, retryAt: s.retryAt ?? null, reason: s.reason ?? null });
  const byId = new Map(file.checkpoints.map((c) => [c.id, c]));
  const kinds = new Set<string>();
  for (let c = s.headId === null ? undefined : byId.get(s.headId); c; c = c.parentId === null ? undefined : byId.get(c.parentId)) kinds.add(c.kind);
  const status: SessionStatus = kinds.has('report') ? 'done' : kinds.has('document') || kinds.has('chunks') || kinds.has('map') ? 'running' : 'created';
  return statusOnArrival({ status, retryAt: null, reason: null });
}
