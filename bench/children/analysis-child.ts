// Child of the map-reduce benchmark: runs (or resumes) an analysis session
// with the real pipeline until it is done or the parent SIGKILLs it. Prints
// one JSON line per step, written after that step's commit returned.
// argv: dataDir sessionId
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { runSession } from '../../electron/engine/pipeline/analysis.ts';

const [dataDir, sessionId] = process.argv.slice(2) as [string, string];
const store = CheckpointStore.open({ dataDir });
const outcome = await runSession(sessionId, { store, owner: `bench-child-${process.pid}` }, {
  onEvent: (e) => {
    if (e.type === 'step') process.stdout.write(`${JSON.stringify({ stepKey: e.stepKey, kind: e.kind, memoKey: e.memoKey ?? null, cached: e.cached })}\n`);
  },
});
process.stdout.write(`${JSON.stringify({ done: outcome.status })}\n`);
store.close();
