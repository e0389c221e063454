// Builds the session the resume-time benchmark resumes: the real pipeline over
// a large document with small chunks, stopped once enough map steps are
// committed. Runs in its own process so its memory and caches do not linger.
//
// One analysis holds at most ~1,000 chunks (the chunk list is one checkpoint
// state, capped at 200,000 characters), so the history is taken to the target
// size with note checkpoints carrying text, appended after the map steps: the
// resume still loads and walks every one of them.
// argv: dataDir documentPath targetMapSteps words targetCheckpoints targetContentBytes
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { runSession } from '../../electron/engine/pipeline/analysis.ts';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { sessionConfig } from '../lib/fixtures.ts';

const [dataDir, documentPath, target, words, targetCheckpoints, targetBytes] = process.argv.slice(2) as [string, string, string, string, string, string];
const sim = await startSimulator({ words: Number(words), tokensPerSecond: 0 });
const store = CheckpointStore.open({ dataDir });
const s = store.createSession({
  name: 'resume benchmark',
  config: sessionConfig(sim.baseURL, { documents: [documentPath], chunkTokens: 64, overlapTokens: 0, concurrency: 8 }),
});
const stop = new AbortController();
let maps = 0;
// Leave a few map steps undone so the resume has work; the pipeline reports its chunk count in progress events.
let stopAt = Number(target);
let steps = 0;
const outcome = await runSession(s.id, { store, owner: `bench-build-${process.pid}` }, {
  signal: stop.signal,
  onEvent: (e) => {
    if (e.type === 'progress') {
      steps = e.total;
      stopAt = Math.min(Number(target), e.total - 1 - 5);
    }
    if (e.type === 'step' && e.kind === 'map' && ++maps >= stopAt) stop.abort(new Error('enough steps for the benchmark'));
  },
});
const content = () => Number(store.database.prepare(
  'SELECT coalesce(sum(b.size), 0) FROM blobs b WHERE b.hash IN (SELECT output_hash FROM checkpoints WHERE session_id = ?)',
).pluck().get(s.id));
const pipelineCheckpoints = store.headPath(s.id).length;
const padding = Math.max(0, Number(targetCheckpoints) - pipelineCheckpoints);
if (outcome.status === 'paused' && padding > 0) {
  const each = Math.max(200, Math.floor((Number(targetBytes) - content()) / padding));
  const line = 'Reviewer note: the Supplier shall confirm the revised delivery schedule in writing before the next steering meeting. ';
  const batch = store.database.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += 1) store.appendCheckpoint(s.id, { kind: 'note', state: { n: i }, output: `Note ${i}. ${line.repeat(Math.ceil(each / line.length))}`.slice(0, each) });
  });
  for (let from = 0; from < padding; from += 1_000) batch(from, Math.min(padding, from + 1_000));
}
const checkpoints = store.headPath(s.id).length;
const contentBytes = content();
process.stdout.write(`${JSON.stringify({ sessionId: s.id, status: outcome.status, reason: outcome.reason?.message ?? null, plannedSteps: steps, pipelineCheckpoints, checkpoints, contentBytes, maps })}\n`);
store.close();
await sim.close();
