// Builds the session the resume-time benchmark resumes: the real pipeline over
// a large document with small chunks, stopped once enough map steps are
// committed. Runs in its own process so its memory and caches do not linger.
// argv: dataDir documentPath targetMapSteps words
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { runSession } from '../../electron/engine/pipeline/analysis.ts';
import { startSimulator } from '../../electron/engine/index.ts';
import { sessionConfig } from '../lib/fixtures.ts';

const [dataDir, documentPath, target, words] = process.argv.slice(2) as [string, string, string, string];
const sim = await startSimulator({ words: Number(words), tokensPerSecond: 0 });
const store = CheckpointStore.open({ dataDir });
const s = store.createSession({
  name: 'resume benchmark',
  config: sessionConfig(sim.baseURL, { documents: [documentPath], chunkTokens: 64, overlapTokens: 0, concurrency: 8 }),
});
const stop = new AbortController();
let maps = 0;
const outcome = await runSession(s.id, { store, owner: `bench-build-${process.pid}` }, {
  signal: stop.signal,
  onEvent: (e) => {
    if (e.type === 'step' && e.kind === 'map' && ++maps >= Number(target)) stop.abort(new Error('enough steps for the benchmark'));
  },
});
const checkpoints = store.headPath(s.id).length;
const contentBytes = Number(store.database.prepare(
  'SELECT coalesce(sum(length(CAST(b.text AS BLOB))), 0) FROM blobs b WHERE b.hash IN (SELECT output_hash FROM checkpoints WHERE session_id = ?)',
).pluck().get(s.id));
process.stdout.write(`${JSON.stringify({ sessionId: s.id, status: outcome.status, checkpoints, contentBytes, maps })}\n`);
store.close();
await sim.close();
