// What a step is, for people: travels with step events as data, so the CLI
// and the renderer can each say it in their own words without parsing step
// keys (which are the engine's, and stay in --json and logs).
import { z } from 'zod';

export const StepLabelSchema = z.object({
  /** document: reading a file; chunks: splitting; passage: analysing one chunk; combine: merging findings; report: the report; answer: a follow-up. */
  kind: z.enum(['document', 'chunks', 'passage', 'combine', 'report', 'answer']),
  /** 1-based position among `total` (passages: the chunk's number; combine: the group within its level); null when there is one. */
  index: z.number().int().positive().nullable(),
  total: z.number().int().nonnegative().nullable(),
  /** The step's own name: a passage's section or page label ("§ 1.1", "p. 3"), a document's file name; null when it has none. */
  label: z.string().nullable(),
});
export type StepLabel = z.infer<typeof StepLabelSchema>;
