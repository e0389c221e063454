// Runs ingestFile in a worker thread so PDF parsing and hashing never block
// the caller's event loop (the main process must stay responsive). The result
// or the DocumentError is validated and rebuilt on this side.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DocumentError, displayName } from './document-error.ts';
import type { IngestedDocument, IngestOptions } from './types.ts';
import { WorkerOutputSchema, type WorkerInput } from './worker-protocol.ts';

export const DEFAULT_INGEST_TIMEOUT_MS = 120_000;

export interface IngestInWorkerOptions extends IngestOptions {
  /** The worker is stopped and a 'timeout' DocumentError raised after this long. Default 2 minutes. */
  timeoutMs?: number;
  /** Stops the worker at once; the promise then rejects with `onAbort()` (default: the signal's reason). */
  signal?: AbortSignal;
  onAbort?: () => unknown;
}

// From source the worker is the .ts beside this file; in the packaged app it is
// bundled as ingest-worker.cjs beside the engine bundle.
const SOURCE_WORKER = new URL('./ingest-worker.ts', import.meta.url);
const WORKER_URL = existsSync(fileURLToPath(SOURCE_WORKER)) ? SOURCE_WORKER : new URL('./ingest-worker.cjs', import.meta.url);

export function ingestInWorker(path: string, opts: IngestInWorkerOptions = {}): Promise<IngestedDocument> {
  const file = resolve(path);
  const name = displayName(file);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_INGEST_TIMEOUT_MS;
  const input: WorkerInput = { path: file, opts: opts.maxBytes === undefined ? {} : { maxBytes: opts.maxBytes } };

  return new Promise<IngestedDocument>((resolvePromise, reject) => {
    const { signal } = opts;
    const aborted = (): unknown => (opts.onAbort ? opts.onAbort() : signal?.reason);
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    let settled = false;
    const worker = new Worker(WORKER_URL, { workerData: input });
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (outcome: { doc: IngestedDocument } | { error: DocumentError }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if ('doc' in outcome) resolvePromise(outcome.doc);
      else reject(outcome.error);
    };
    const failed = (why: string): DocumentError =>
      new DocumentError('worker-failed', file, `Reading ${name} failed: the reader stopped unexpectedly (${why}).`, 'Try adding the file again; if it keeps failing, the file may be damaged.');

    const timer = setTimeout(() => {
      finish({
        error: new DocumentError('timeout', file, `Reading ${name} took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`, 'The document may be very large or damaged. Split it, or check that it opens in its own program.'),
      });
    }, timeoutMs);

    worker.once('message', (message: unknown) => {
      const parsed = WorkerOutputSchema.safeParse(message);
      if (!parsed.success) finish({ error: failed('it sent a malformed reply') });
      else if (parsed.data.ok) finish({ doc: parsed.data.doc });
      else finish({ error: DocumentError.fromJSON(parsed.data.error) });
    });
    worker.once('error', (err) => finish({ error: failed(err.message) }));
    worker.once('exit', (code) => finish({ error: failed(`exit code ${code}`) }));
  });
}
