// Memoised step results, keyed by hash(input, task, model, parameters). Global
// on purpose: a hit survives rollback and is shared by every fork.
import { stmt } from './statements.ts';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { CheckpointKindSchema, IdSchema, JsonValueSchema, UsageSchema, type Checkpoint } from '../../shared/domain.ts';
import { StoreError } from './errors.ts';
import { canonicalJson } from './hashing.ts';
import type { MemoHit } from './types.ts';

export const MemoKeySchema = z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export function parseMemoKey(raw: unknown): string {
  const parsed = MemoKeySchema.safeParse(raw);
  if (!parsed.success) throw new StoreError('invalid_input', 'A memo key must be 1-256 printable ASCII characters (a hash).');
  return parsed.data;
}

export function memoPut(db: Database.Database, memoKey: string, cp: Checkpoint, at: string): void {
  if (cp.outputHash === null) return;
  // The first completed result stays authoritative: a re-run of the same input is served from it.
  stmt(db, `INSERT OR IGNORE INTO memo (memo_key, output_hash, usage, kind, state, checkpoint_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(memoKey, cp.outputHash, canonicalJson({ ...cp.usage }), cp.kind, canonicalJson(cp.state), cp.id, at);
}

const MemoRow = z.object({
  memo_key: z.string(),
  usage: z.string(),
  kind: CheckpointKindSchema,
  state: z.string(),
  checkpoint_id: IdSchema,
  text: z.string(),
});

export function memoGet(db: Database.Database, memoKey: string): MemoHit | null {
  const raw = stmt(db, `SELECT m.memo_key, m.usage, m.kind, m.state, m.checkpoint_id, b.text
    FROM memo m JOIN blobs b ON b.hash = m.output_hash WHERE m.memo_key = ?`).get(parseMemoKey(memoKey));
  if (raw === undefined) return null;
  const row = MemoRow.parse(raw);
  return {
    memoKey: row.memo_key,
    output: row.text,
    usage: UsageSchema.parse(JSON.parse(row.usage)),
    checkpointId: row.checkpoint_id,
    kind: row.kind,
    state: JsonValueSchema.parse(JSON.parse(row.state)),
  };
}
