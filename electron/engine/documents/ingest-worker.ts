// Entry point of the ingestion worker thread: one file per worker, one reply.
import { parentPort, workerData } from 'node:worker_threads';
import { DocumentError } from './document-error.ts';
import { ingestFile } from './ingest.ts';
import { WorkerInputSchema, type WorkerOutput } from './worker-protocol.ts';

async function run(): Promise<WorkerOutput> {
  const input = WorkerInputSchema.parse(workerData);
  try {
    return { ok: true, doc: await ingestFile(input.path, input.opts) };
  } catch (err) {
    if (err instanceof DocumentError) return { ok: false, error: err.toJSON() };
    const why = err instanceof Error ? err.message : String(err);
    const failure = new DocumentError('worker-failed', input.path, `Reading ${input.path} failed unexpectedly (${why}).`, 'Try adding the file again; if it keeps failing, report it with the file type.');
    return { ok: false, error: failure.toJSON() };
  }
}

if (parentPort === null) throw new Error('ingest-worker.ts must be started as a worker thread by ingestInWorker().');
const port = parentPort;
// No top-level await: the packaged app bundles this file as CommonJS.
void run().then((out) => port.postMessage(out));
