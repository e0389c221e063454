// Messages between ingestInWorker and its worker. Both directions are parsed
// with zod: the worker is a separate thread whose output is not trusted blindly.
import { z } from 'zod';
import { DocumentErrorDataSchema } from './document-error.ts';
import { IngestedDocumentSchema } from './types.ts';

export const WorkerInputSchema = z.strictObject({
  path: z.string().min(1).max(4_096),
  opts: z.strictObject({ maxBytes: z.number().int().positive().optional() }),
});
export type WorkerInput = z.infer<typeof WorkerInputSchema>;

export const WorkerOutputSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), doc: IngestedDocumentSchema }),
  z.strictObject({ ok: z.literal(false), error: DocumentErrorDataSchema }),
]);
export type WorkerOutput = z.infer<typeof WorkerOutputSchema>;
