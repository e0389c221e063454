// Immutable checkpoint rows in a tree, each chained to its parent by hash, and
// the content-addressed blobs they refer to.
import { stmt } from './statements.ts';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  CheckpointKindSchema, CheckpointSchema, IdSchema, JsonValueSchema, MAX_TEXT, UsageSchema, ZERO_USAGE,
  type Checkpoint, type Id, type JsonValue, type TimelineRow, type Usage,
} from '../../shared/domain.ts';
import { StoreError } from './errors.ts';
import { canonicalJson, sha256 } from './hashing.ts';
import { decodeBlob, encodeBlob, hashText, hexToHash } from './blob-codec.ts';
import { clampLimit, decodeCursor, encodeCursor } from './cursor.ts';
import type { NewCheckpoint, Page, StepRef } from './types.ts';

/** Outputs can be far larger than one IPC string; the store bounds them separately. */
export const MAX_BLOB_CHARS = 50_000_000;
const MAX_STATE_CHARS = MAX_TEXT;

/**
 * The columns of a checkpoint as `CheckpointRow` has them: hashes are stored as
 * 32 raw bytes and read as lowercase hex. `a` is the table's alias in the query.
 */
export function checkpointColumns(a: string): string {
  return `${a}.id, ${a}.session_id, ${a}.parent_id, ${a}.depth, ${a}.kind, ${a}.step_key, ${a}.state,
    ${hexColumn(`${a}.output_hash`)} AS output_hash, ${a}.input_tokens, ${a}.output_tokens, ${a}.cost_usd, ${a}.usage_estimated,
    ${a}.created_at, ${hexColumn(`${a}.hash`)} AS hash`;
}

/** A stored hash as lowercase hex; NULL stays NULL (SQLite's hex() would give ''). */
export function hexColumn(expr: string): string {
  return `iif(${expr} IS NULL, NULL, lower(hex(${expr})))`;
}

export interface CheckpointRow {
  id: string;
  session_id: string;
  parent_id: string | null;
  depth: number;
  kind: string;
  step_key: string | null;
  state: string;
  output_hash: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  usage_estimated: number;
  created_at: string;
  hash: string;
}

export function rowToCheckpoint(row: CheckpointRow): Checkpoint {
  const parsed = CheckpointSchema.safeParse({
    id: row.id,
    sessionId: row.session_id,
    parentId: row.parent_id,
    kind: row.kind,
    stepKey: row.step_key,
    state: safeJson(row.state),
    outputHash: row.output_hash,
    usage: usageOf(row),
    createdAt: row.created_at,
    hash: row.hash,
  });
  if (!parsed.success) {
    throw new StoreError('corrupt', `Checkpoint ${row.id} has a damaged record.`, 'Run Verify to see which checkpoints are affected, then roll back or restore a backup.');
  }
  return parsed.data;
}

/** A checkpoint's usage from its four columns; anything but 0/1 for `estimated` fails validation, as damage. */
export function usageOf(row: Pick<CheckpointRow, 'input_tokens' | 'output_tokens' | 'cost_usd' | 'usage_estimated'>): unknown {
  const estimated = row.usage_estimated === 1 ? true : row.usage_estimated === 0 ? false : 'damaged';
  return { inputTokens: row.input_tokens, outputTokens: row.output_tokens, costUsd: row.cost_usd, estimated };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The content a checkpoint's hash covers: everything but the hash itself. */
export function checkpointHash(parentHash: string, c: Omit<Checkpoint, 'hash'>): string {
  const content: JsonValue = {
    id: c.id,
    sessionId: c.sessionId,
    parentId: c.parentId,
    kind: c.kind,
    stepKey: c.stepKey,
    state: c.state,
    outputHash: c.outputHash,
    usage: { ...c.usage },
    createdAt: c.createdAt,
  };
  return sha256(parentHash + canonicalJson(content));
}

export function putBlob(db: Database.Database, text: string): string {
  if (typeof text !== 'string') throw new StoreError('invalid_input', 'A blob must be text.');
  if (text.length > MAX_BLOB_CHARS) throw new StoreError('invalid_input', `A text of ${text.length} characters is larger than the ${MAX_BLOB_CHARS} the store accepts.`);
  const hash = hashText(text);
  // A text already stored is not encoded again.
  if (stmt(db, 'SELECT 1 FROM blobs WHERE hash = ?').pluck().get(hash) === undefined) {
    const blob = encodeBlob(text);
    stmt(db, 'INSERT INTO blobs (hash, size, codec, data) VALUES (?, ?, ?, ?)').run(hash, blob.size, blob.codec, blob.data);
  }
  return hash.toString('hex');
}

export function getBlob(db: Database.Database, hash: string): string {
  const row = stmt(db, 'SELECT codec, data, size FROM blobs WHERE hash = ?').get(hexToHash(hash)) as { codec: unknown; data: unknown; size: unknown } | undefined;
  if (row === undefined) throw new StoreError('not_found', `No stored text has hash ${hash.slice(0, 12)}….`);
  return decodeBlob(hash, row.codec, row.data, row.size);
}

export function readCheckpointRow(db: Database.Database, id: Id): CheckpointRow {
  const row = stmt(db, `SELECT ${checkpointColumns('c')} FROM checkpoints c WHERE c.id = ?`).get(id) as CheckpointRow | undefined;
  if (!row) throw new StoreError('not_found', `There is no checkpoint ${id}.`, 'Refresh the timeline.');
  return row;
}

export interface InsertCheckpoint {
  id: Id;
  sessionId: Id;
  parent: CheckpointRow | null;
  kind: Checkpoint['kind'];
  stepKey: string | null;
  state: JsonValue;
  outputHash: string | null;
  usage: Usage;
  createdAt: string;
}

export function validateNewCheckpoint(cp: NewCheckpoint): { kind: Checkpoint['kind']; stepKey: string | null; state: JsonValue; usage: Usage } {
  const parsed = z.strictObject({
    kind: CheckpointKindSchema,
    stepKey: z.string().max(512).nullable().optional(),
    state: JsonValueSchema.optional(),
    output: z.string().max(MAX_BLOB_CHARS).nullable().optional(),
    usage: UsageSchema.optional(),
  }).safeParse(cp);
  if (!parsed.success) throw new StoreError('invalid_input', `The checkpoint is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const state = parsed.data.state ?? null;
  if (canonicalJson(state).length > MAX_STATE_CHARS) throw new StoreError('invalid_input', 'Checkpoint state is too large; store large text as output.');
  return { kind: parsed.data.kind, stepKey: parsed.data.stepKey ?? null, state, usage: parsed.data.usage ?? ZERO_USAGE };
}

export function insertCheckpoint(db: Database.Database, c: InsertCheckpoint): Checkpoint {
  const base: Omit<Checkpoint, 'hash'> = {
    id: c.id,
    sessionId: c.sessionId,
    parentId: c.parent?.id ?? null,
    kind: c.kind,
    stepKey: c.stepKey,
    state: c.state,
    outputHash: c.outputHash,
    usage: c.usage,
    createdAt: c.createdAt,
  };
  const hash = checkpointHash(c.parent?.hash ?? '', base);
  stmt(db, `INSERT INTO checkpoints (id, session_id, parent_id, depth, kind, step_key, state, output_hash,
      input_tokens, output_tokens, cost_usd, usage_estimated, created_at, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    c.id, c.sessionId, base.parentId, c.parent ? c.parent.depth + 1 : 0, c.kind, c.stepKey,
    canonicalJson(c.state), c.outputHash === null ? null : hexToHash(c.outputHash),
    c.usage.inputTokens, c.usage.outputTokens, c.usage.costUsd, c.usage.estimated ? 1 : 0, c.createdAt, hexToHash(hash),
  );
  return { ...base, hash };
}

/** Ancestors of a checkpoint up to its root (crossing into the parent session for forks), oldest first. */
export function pathTo(db: Database.Database, id: Id | null): CheckpointRow[] {
  if (id === null) return [];
  const rows = stmt(db, `WITH RECURSIVE up(id, n) AS (
      SELECT ?, 0
      UNION ALL SELECT c.parent_id, up.n + 1 FROM checkpoints c JOIN up ON c.id = up.id WHERE c.parent_id IS NOT NULL
    ) SELECT ${checkpointColumns('c')} FROM up JOIN checkpoints c ON c.id = up.id ORDER BY up.n DESC`).all(id) as CheckpointRow[];
  return rows;
}

/** The ids on the path to `id` (itself included), without reading the rest of each row. */
export function pathIds(db: Database.Database, id: Id | null): string[] {
  if (id === null) return [];
  return stmt(db, `WITH RECURSIVE up(id, parent_id) AS (
      SELECT id, parent_id FROM checkpoints WHERE id = ?
      UNION ALL SELECT c.id, c.parent_id FROM up JOIN checkpoints c ON c.id = up.parent_id
    ) SELECT id FROM up`).pluck().all(id) as string[];
}

/** The checkpoints of one kind and step on the path to `id`, oldest first, without reading the rest. */
export function pathStepRows(db: Database.Database, id: Id | null, kind: string, stepKey: string): CheckpointRow[] {
  if (id === null) return [];
  return stmt(db, `WITH RECURSIVE up(id, n) AS (
      SELECT ?, 0
      UNION ALL SELECT c.parent_id, up.n + 1 FROM checkpoints c JOIN up ON c.id = up.id WHERE c.parent_id IS NOT NULL
    ) SELECT ${checkpointColumns('c')} FROM up JOIN checkpoints c ON c.id = up.id WHERE c.kind = ? AND c.step_key = ? ORDER BY up.n DESC`).all(id, kind, stepKey) as CheckpointRow[];
}

export type StepRefRow = Pick<CheckpointRow, 'id' | 'kind' | 'step_key' | 'output_hash'>;

/** Id, kind, step key and output hash of the checkpoints of the given kinds on the path to `id`, oldest first. */
export function pathStepRefRows(db: Database.Database, id: Id | null, kinds: readonly string[]): StepRefRow[] {
  if (id === null || kinds.length === 0) return [];
  // The columns ride along the walk up, so each step is one lookup by id.
  return stmt(db, `WITH RECURSIVE up(id, parent_id, kind, step_key, output_hash, n) AS (
      SELECT id, parent_id, kind, step_key, output_hash, 0 FROM checkpoints WHERE id = ?
      UNION ALL SELECT c.id, c.parent_id, c.kind, c.step_key, c.output_hash, up.n + 1 FROM up JOIN checkpoints c ON c.id = up.parent_id
    ) SELECT id, kind, step_key, ${hexColumn('output_hash')} AS output_hash FROM up WHERE kind IN (SELECT value FROM json_each(?)) ORDER BY n DESC`).all(id, JSON.stringify(kinds)) as StepRefRow[];
}

const StepRefSchema = CheckpointSchema.pick({ id: true, kind: true, stepKey: true, outputHash: true });

export function rowToStepRef(row: StepRefRow): StepRef {
  const parsed = StepRefSchema.safeParse({ id: row.id, kind: row.kind, stepKey: row.step_key, outputHash: row.output_hash });
  if (!parsed.success) {
    throw new StoreError('corrupt', `Checkpoint ${row.id} has a damaged record.`, 'Run Verify to see which checkpoints are affected, then roll back or restore a backup.');
  }
  return parsed.data;
}

const TimelineCursor = z.tuple([IdSchema]);

export const TIMELINE_SQL = `SELECT ${checkpointColumns('c')}, ${hexColumn('p.hash')} AS parent_hash FROM checkpoints c
  LEFT JOIN checkpoints p ON p.id = c.parent_id
  WHERE c.session_id = ? AND c.id < ? ORDER BY c.id DESC LIMIT ?`;

export function timeline(
  db: Database.Database, sessionId: Id, headId: string | null, opts: { limit?: number; cursor?: string } = {},
): Page<TimelineRow> & { total: number } {
  const limit = clampLimit(opts.limit, 500, 5_000);
  // ULIDs sort after every real id when compared with '~' (0x7E > 'Z').
  const before = opts.cursor === undefined ? '~' : decodeCursor(opts.cursor, TimelineCursor)[0];
  const rows = stmt(db, TIMELINE_SQL).all(sessionId, before, limit + 1) as Array<CheckpointRow & { parent_hash: string | null }>;
  const total = Number(stmt(db, 'SELECT count(*) FROM checkpoints WHERE session_id = ?').pluck().get(sessionId));
  const onPath = new Set(pathIds(db, headId as Id | null));
  const items = rows.slice(0, limit).map((row): TimelineRow => {
    const checkpoint = rowToCheckpoint(row);
    const { hash: _ignored, ...rest } = checkpoint;
    const intact = checkpointHash(row.parent_hash ?? '', rest) === row.hash && (row.parent_id === null || row.parent_hash !== null);
    return { checkpoint, onHeadPath: onPath.has(row.id), isHead: row.id === headId, depth: row.depth, integrity: intact ? 'ok' : 'damaged' };
  });
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor([last.id]) : null, total };
}
