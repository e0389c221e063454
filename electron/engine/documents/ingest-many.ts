// Ingests the documents of a session one worker at a time (at most
// `concurrency` at once). One bad file never affects the others: each path
// gets its own result, and a file whose bytes match one already ingested is
// reported as a duplicate of it instead of being stored twice.
import { DocumentError } from './document-error.ts';
import { ingestInWorker, type IngestInWorkerOptions } from './ingest-in-worker.ts';
import type { IngestedDocument } from './types.ts';

export type IngestResult =
  | { path: string; ok: true; doc: IngestedDocument; duplicateOf: string | null }
  | { path: string; ok: false; error: DocumentError };

export interface IngestManyOptions extends IngestInWorkerOptions {
  /** Workers running at once. Default 2: parsing is CPU-bound and the main process needs a core too. */
  concurrency?: number;
  /** Documents already in the session: a new file with the same sha256 is reported as their duplicate. */
  existing?: ReadonlyArray<Pick<IngestedDocument, 'path' | 'sha256'>>;
  /** Test seam and progress hook: ingests one file. Defaults to ingestInWorker. */
  ingest?: (path: string, opts: IngestInWorkerOptions) => Promise<IngestedDocument>;
}

export async function ingestMany(paths: readonly string[], opts: IngestManyOptions = {}): Promise<IngestResult[]> {
  const { concurrency = 2, existing = [], ingest = ingestInWorker, ...workerOpts } = opts;
  const results: Array<IngestResult | undefined> = new Array(paths.length);
  let next = 0;
  const run = async (): Promise<void> => {
    for (let i = next++; i < paths.length; i = next++) {
      const path = paths[i] ?? '';
      try {
        const doc = await ingest(path, workerOpts);
        results[i] = { path, ok: true, doc, duplicateOf: null };
      } catch (err) {
        const error =
          err instanceof DocumentError
            ? err
            : new DocumentError('worker-failed', path, `Reading ${path} failed unexpectedly (${err instanceof Error ? err.message : String(err)}).`, 'Try adding the file again.');
        results[i] = { path, ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, paths.length)) }, run));

  // Duplicates are decided after all reads, in input order, so the outcome does not depend on timing.
  const seen = new Map<string, string>(existing.map((d) => [d.sha256, d.path]));
  return results.map((r, i) => {
    const result = r ?? { path: paths[i] ?? '', ok: false, error: new DocumentError('worker-failed', paths[i] ?? '', 'The document was not read.', 'Try adding it again.') };
    if (!result.ok) return result;
    const original = seen.get(result.doc.sha256);
    if (original !== undefined) return { ...result, duplicateOf: original };
    seen.set(result.doc.sha256, result.doc.path);
    return result;
  });
}
