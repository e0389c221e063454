// Child of the ingestion benchmark: reads one document through the real pipeline (ingest in its worker,
// store the text, chunk, store the chunks) and stops when the chunking checkpoint is written, before any
// model call. Prints one JSON line: seconds, pages, chunks and this process's peak RSS.
// argv: dataDir file
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { runSession } from '../../electron/engine/pipeline/analysis.ts';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { sessionConfig } from '../lib/fixtures.ts';

const [dataDir, file] = process.argv.slice(2) as [string, string];
const sim = await startSimulator({ words: 10 });
const store = CheckpointStore.open({ dataDir });
const s = store.createSession({ name: 'ingest', config: sessionConfig(sim.baseURL, { documents: [file], chunkTokens: 1_500 }) });
const stop = new AbortController();
const t = performance.now();
let seconds = 0;
await runSession(s.id, { store, owner: `bench-ingest-${process.pid}` }, {
  signal: stop.signal,
  onEvent: (e) => {
    if (e.type === 'step' && e.kind === 'chunks') {
      seconds = (performance.now() - t) / 1000;
      stop.abort();
    }
  },
});
const chunks = store.headPath(s.id).filter((c) => c.kind === 'chunks').length;
const doc = store.headPath(s.id).find((c) => c.kind === 'document');
const pages = (doc?.state as { pages?: number | null } | undefined)?.pages ?? null;
process.stdout.write(`${JSON.stringify({ seconds, pages, chunked: chunks === 1, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
store.close();
await sim.close();
