// How the analysis names its steps and reads its state back from checkpoints.
// Step keys are stable across runs, so a resume finds what is done on the
// session's head path; the zod schemas guard every state read back from disk.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Checkpoint } from '../../../shared/domain.ts';
import type { StepLabel } from '../../../shared/step-label.ts';

export const docKey = (sha256: string) => `doc:${sha256.slice(0, 16)}`;
export const chunksKey = (hash: string) => `chunks:${hash.slice(0, 16)}`;
/**
 * What makes two map steps over the same passage the same step: the task and the
 * sampling. Not the model: a paused session switched to another model keeps the
 * passages already answered (paid for) and the new model reads only the rest. The
 * memo key still includes the model, so nothing is ever served across models;
 * to have a whole analysis redone by another model, fork from the chunking checkpoint.
 */
export function mapSpecHash(task: string, temperature: number): string {
  return createHash('sha256').update(JSON.stringify({ task, temperature })).digest('hex');
}

export const mapKey = (index: number, chunkHash: string, specHash: string) => `map:${index}:${chunkHash.slice(0, 12)}:${specHash.slice(0, 8)}`;
export const reduceKey = (level: number, group: number, inputHash: string) => `reduce:${level}:${group}:${inputHash.slice(0, 12)}`;
/** The call that writes the report from the (combined) findings. */
export const finalKey = (inputHash: string) => `reduce:final:${inputHash.slice(0, 12)}`;
export const reportKey = (inputHash: string) => `report:${inputHash.slice(0, 12)}`;
export const failedKey = (stepKey: string) => `failed:${stepKey}`;
/** A follow-up call: its turn and its request, so a cut answer is only ever resumed by the same question. */
export const askKey = (n: number, requestHash: string) => `ask:${n}:${requestHash.slice(0, 12)}`;

export const DocumentStateSchema = z.object({
  path: z.string(),
  name: z.string(),
  format: z.string(),
  sha256: z.string(),
  textHash: z.string(),
  sourceMapHash: z.string(),
  pages: z.number().nullable(),
  warnings: z.array(z.string()),
  /** The file's size and modification time when it was read: a resume checks the file against them (older sessions lack them). */
  size: z.number().optional(),
  mtimeMs: z.number().optional(),
  /** A text larger than one blob is stored in parts (their hashes, in order) and the checkpoint has no output. */
  textParts: z.array(z.string()).min(2).optional(),
});
export type DocumentState = z.infer<typeof DocumentStateSchema>;

export const ChunkRefSchema = z.object({
  index: z.number().int().nonnegative(),
  doc: z.number().int().nonnegative(),
  textHash: z.string(),
  tokens: z.number().int().nonnegative(),
  label: z.string(),
  pages: z.array(z.number().int()),
  headingPath: z.array(z.string()),
  sections: z.array(z.string()).default([]),
});
export type ChunkRef = z.infer<typeof ChunkRefSchema>;

/** The chunking checkpoint's small state; the chunk list itself is its output (a JSON blob), so any document size fits. */
export const ChunksStateSchema = z.object({
  model: z.string(),
  chunkTokens: z.number().int(),
  overlapTokens: z.number().int(),
  count: z.number().int().nonnegative(),
  /** A chunk list larger than one blob is stored in parts (their hashes, in order) and the checkpoint has no output. */
  listParts: z.array(z.string()).min(2).optional(),
});
export type ChunksState = z.infer<typeof ChunksStateSchema>;
export const ChunkListSchema = z.array(ChunkRefSchema);

/** Reads a chunking checkpoint's chunk list back, validated. */
export function chunkListOf(cp: Checkpoint, getBlob: (hash: string) => string): ChunkRef[] | null {
  const state = cp.kind === 'chunks' ? stateOf(cp, ChunksStateSchema) : null;
  if (!state || (!cp.outputHash && !state.listParts)) return null;
  try {
    const json = state.listParts ? state.listParts.map(getBlob).join('') : getBlob(cp.outputHash ?? '');
    const r = ChunkListSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export const MapStateSchema = z.object({ index: z.number().int().nonnegative(), label: z.string() });
export const FailedStateSchema = z.object({ stepKey: z.string(), index: z.number().int().nullable(), code: z.string(), message: z.string() });
/** `quote` and `quoteCheck` (the per-run check of the quote against the cited chunk) are absent from reports written before the check existed. */
export const CitationStateSchema = z.object({
  label: z.string(),
  chunkIndex: z.number().int().nullable(),
  valid: z.boolean(),
  quote: z.string().nullable().optional(),
  quoteCheck: z.enum(['verified', 'unverified', 'no-quote']).optional(),
});
export type CitationState = z.infer<typeof CitationStateSchema>;
/** A document a run could not read and went on without (written by the run as a note, and listed with the report). */
export const SkippedStateSchema = z.object({ path: z.string(), name: z.string(), code: z.string(), message: z.string(), hint: z.string() });
export type SkippedState = z.infer<typeof SkippedStateSchema>;
export const skippedKey = (path: string) => `skipped:${createHash('sha256').update(path).digest('hex').slice(0, 16)}`;
export const ReportStateSchema = z.object({ citations: z.array(CitationStateSchema), failedChunks: z.array(z.number().int()) });
export const AnswerStateSchema = z.object({ question: z.string(), n: z.number().int().nonnegative() });

export function stateOf<T>(cp: Checkpoint, schema: z.ZodType<T>): T | null {
  const r = schema.safeParse(cp.state);
  return r.success ? r.data : null;
}

const ReduceStateSchema = z.object({ level: z.number().int(), group: z.number().int(), final: z.boolean().optional() });

/** What a checkpoint's step is, for people, from the state this module writes; null for checkpoints that are not steps. */
export function stepLabelOf(cp: Checkpoint): StepLabel | null {
  switch (cp.kind) {
    case 'document': {
      const s = stateOf(cp, DocumentStateSchema);
      return { kind: 'document', index: null, total: null, label: s?.name ?? null };
    }
    case 'chunks':
      return { kind: 'chunks', index: null, total: stateOf(cp, ChunksStateSchema)?.count ?? null, label: null };
    case 'map': {
      const s = stateOf(cp, MapStateSchema);
      return s ? { kind: 'passage', index: s.index + 1, total: null, label: s.label } : null;
    }
    case 'reduce': {
      const s = stateOf(cp, ReduceStateSchema);
      return s ? { kind: 'combine', index: s.final ? null : s.group + 1, total: null, label: null } : null;
    }
    case 'report':
      return { kind: 'report', index: null, total: null, label: null };
    case 'answer': {
      const s = stateOf(cp, AnswerStateSchema);
      return { kind: 'answer', index: s ? s.n + 1 : null, total: null, label: null };
    }
    default:
      return null;
  }
}
