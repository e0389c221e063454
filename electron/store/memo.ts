// Memoised step results, keyed by hash(input, task, model, parameters). Global
// on purpose: a hit survives rollback and is shared by every fork.
import { stmt } from './statements.ts';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { CheckpointKindSchema, IdSchema, JsonValueSchema, UsageSchema, type Checkpoint, type Id } from '../../shared/domain.ts';
import { StoreError } from './errors.ts';
import { decodeBlob } from './blob-codec.ts';
import { usageOf } from './checkpoints.ts';
import type { MemoHit } from './types.ts';

export const MemoKeySchema = z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export function parseMemoKey(raw: unknown): string {
  const parsed = MemoKeySchema.safeParse(raw);
  if (!parsed.success) throw new StoreError('invalid_input', 'A memo key must be 1-256 printable ASCII characters (a hash).');
  return parsed.data;
}

export function memoPut(db: Database.Database, memoKey: string, cp: Checkpoint): void {
  if (cp.outputHash === null) return;
  // The first completed result stays authoritative: a re-run of the same input is served from it.
  // Output, kind, state and usage are read from the checkpoint while it exists (see keepMemoEntries).
  stmt(db, 'INSERT OR IGNORE INTO memo (memo_key, checkpoint_id) VALUES (?, ?)').run(memoKey, cp.id);
}

/**
 * Before a session's checkpoints are purged, copies into each memo entry that
 * points at one of them what it read from that checkpoint, so the entry keeps
 * serving hits (memo entries are shared by every session). Runs in the caller's transaction.
 */
export function keepMemoEntries(db: Database.Database, sessionId: Id): void {
  const rows = stmt(db, `SELECT m.memo_key, c.output_hash, c.kind, c.state, ${USAGE_COLUMNS}
    FROM memo m JOIN checkpoints c ON c.id = m.checkpoint_id WHERE c.session_id = ? AND m.kind IS NULL`)
    .all(sessionId) as Array<UsageColumns & { memo_key: string; output_hash: Buffer; kind: string; state: string }>;
  const keep = stmt(db, 'UPDATE memo SET output_hash = ?, kind = ?, state = ?, usage = ? WHERE memo_key = ?');
  // The usage is copied as the checkpoint holds it, so a damaged one still reads as damaged.
  for (const r of rows) keep.run(r.output_hash, r.kind, r.state, JSON.stringify(usageOf(r)), r.memo_key);
}

const USAGE_COLUMNS = 'c.input_tokens, c.output_tokens, c.cost_usd, c.usage_estimated';
type UsageColumns = { input_tokens: number; output_tokens: number; cost_usd: number; usage_estimated: number };

const MemoRow = z.object({
  memo_key: z.string(),
  /** The entry's own copy (its checkpoint was purged), else the checkpoint's columns. */
  usage: z.string().nullable(),
  input_tokens: z.number().nullable(),
  output_tokens: z.number().nullable(),
  cost_usd: z.number().nullable(),
  usage_estimated: z.number().nullable(),
  kind: CheckpointKindSchema,
  state: z.string(),
  checkpoint_id: IdSchema,
  output_hash: z.string(),
  codec: z.unknown(),
  data: z.unknown(),
  size: z.unknown(),
});

export function memoGet(db: Database.Database, memoKey: string): MemoHit | null {
  const raw = stmt(db, `SELECT m.memo_key, m.checkpoint_id, lower(hex(b.hash)) AS output_hash,
      coalesce(m.kind, c.kind) AS kind, coalesce(m.state, c.state) AS state, m.usage, ${USAGE_COLUMNS},
      b.codec, b.data, b.size
    FROM memo m LEFT JOIN checkpoints c ON m.kind IS NULL AND c.id = m.checkpoint_id
      JOIN blobs b ON b.hash = coalesce(m.output_hash, c.output_hash)
    WHERE m.memo_key = ?`).get(parseMemoKey(memoKey));
  if (raw === undefined) return null;
  const parsed = MemoRow.safeParse(raw);
  if (!parsed.success) throw new StoreError('corrupt', `The memo entry for this step is damaged (${parsed.error.issues[0]?.path.join('.') ?? ''}).`, 'Run Verify; the step will be asked again if the entry cannot be used.');
  const row = parsed.data;
  return {
    memoKey: row.memo_key,
    output: decodeBlob(row.output_hash, row.codec, row.data, row.size),
    usage: UsageSchema.parse(row.usage !== null ? JSON.parse(row.usage) : usageOf(row as UsageColumns)),
    checkpointId: row.checkpoint_id,
    kind: row.kind,
    state: JsonValueSchema.parse(JSON.parse(row.state)),
  };
}
