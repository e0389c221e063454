// Streamed output is appended as parts and never rewritten; completing the
// step folds the parts into one blob in the transaction that writes the
// checkpoint, the memo entry and the new head.
import { stmt } from './statements.ts';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { CheckpointKindSchema, JsonValueSchema, UsageSchema, type Checkpoint, type Id } from '../../shared/domain.ts';
import { StoreError } from './errors.ts';
import { insertCheckpoint, MAX_BLOB_CHARS, putBlob, readCheckpointRow } from './checkpoints.ts';
import { memoPut, MemoKeySchema } from './memo.ts';
import { addUsage, readSessionRow } from './sessions.ts';
import type { CompleteStepInput, PartialStream } from './types.ts';

export const StepKeySchema = z.string().min(1).max(512);
const AttemptSchema = z.number().int().min(0).max(1_000_000);
const MAX_PART_CHARS = 10_000_000;

export function parseStep(stepKey: unknown, attempt: unknown): { stepKey: string; attempt: number } {
  const s = StepKeySchema.safeParse(stepKey);
  const a = AttemptSchema.safeParse(attempt);
  if (!s.success) throw new StoreError('invalid_input', 'A step key must be 1 to 512 characters.');
  if (!a.success) throw new StoreError('invalid_input', 'An attempt must be a whole number from 0.');
  return { stepKey: s.data, attempt: a.data };
}

export function appendStreamPart(db: Database.Database, sessionId: Id, stepKey: string, attempt: number, text: string, at: string): void {
  if (typeof text !== 'string' || text.length > MAX_PART_CHARS) throw new StoreError('invalid_input', 'A stream part must be text under 10 million characters.');
  if (text.length === 0) return;
  readSessionRow(db, sessionId);
  // The next seq is read from the leaf this insert writes (max() on the key prefix), so the commit changes that one page.
  stmt(db, `INSERT INTO stream_parts (session_id, step_key, attempt, seq, text, created_at)
    SELECT @sessionId, @stepKey, @attempt, coalesce(max(seq) + 1, 0), @text, @at
    FROM stream_parts WHERE session_id = @sessionId AND step_key = @stepKey AND attempt = @attempt`)
    .run({ sessionId, stepKey, attempt, text, at });
}

/** The persisted text of the newest attempt of an unfinished step. */
export function partial(db: Database.Database, sessionId: Id, stepKey: string): PartialStream | null {
  const attempt = stmt(db, 'SELECT max(attempt) FROM stream_parts WHERE session_id = ? AND step_key = ?').pluck().get(sessionId, stepKey) as number | null;
  if (attempt === null) return null;
  const rows = stmt(db, 'SELECT text, created_at FROM stream_parts WHERE session_id = ? AND step_key = ? AND attempt = ? ORDER BY seq')
    .all(sessionId, stepKey, attempt) as Array<{ text: string; created_at: string }>;
  return {
    stepKey,
    attempt,
    text: rows.map((r) => r.text).join(''),
    parts: rows.length,
    updatedAt: rows[rows.length - 1]?.created_at ?? '',
  };
}

const CompleteSchema = z.strictObject({
  stepKey: StepKeySchema,
  attempt: AttemptSchema,
  kind: CheckpointKindSchema,
  memoKey: MemoKeySchema,
  state: JsonValueSchema.optional(),
  usage: UsageSchema,
  output: z.string().max(MAX_BLOB_CHARS).optional(),
});

/** Runs inside the caller's transaction. */
export function completeStep(db: Database.Database, sessionId: Id, raw: CompleteStepInput, id: Id, at: string): Checkpoint {
  const parsed = CompleteSchema.safeParse(raw);
  if (!parsed.success) throw new StoreError('invalid_input', `The completed step is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const input = parsed.data;
  const session = readSessionRow(db, sessionId);
  const output = input.output ?? (stmt(db, 'SELECT text FROM stream_parts WHERE session_id = ? AND step_key = ? AND attempt = ? ORDER BY seq')
    .pluck().all(sessionId, input.stepKey, input.attempt) as string[]).join('');
  const outputHash = putBlob(db, output);
  const parent = session.head_id ? readCheckpointRow(db, session.head_id as Id) : null;
  const cp = insertCheckpoint(db, {
    id, sessionId, parent, kind: input.kind, stepKey: input.stepKey, state: input.state ?? null, outputHash, usage: input.usage, createdAt: at,
  });
  stmt(db, 'UPDATE sessions SET head_id = ? WHERE id = ?').run(cp.id, sessionId);
  addUsage(db, sessionId, input.usage, at);
  memoPut(db, input.memoKey, cp);
  // Earlier attempts of the same step are superseded by this result.
  stmt(db, 'DELETE FROM stream_parts WHERE session_id = ? AND step_key = ? AND attempt <= ?').run(sessionId, input.stepKey, input.attempt);
  return cp;
}
