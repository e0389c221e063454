// A resume reads back only its own steps from the head path (documents, chunk
// list, finished map/reduce steps, report), and of those only which are done:
// a long history of notes is not loaded, the findings and passage texts wait
// until they are used, and what is done is still never requested again.
import { afterEach, expect, test } from 'vitest';
import { RUN_KINDS, runSession } from '../../../electron/engine/pipeline/analysis.ts';
import { readResults } from '../../../electron/engine/pipeline/read-model.ts';
import type { CheckpointStoreApi } from '../../../electron/store/types.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

/** The real store, counting which path reads a run makes. */
function countingReads(store: CheckpointStoreApi, calls: string[]): CheckpointStoreApi {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (prop === 'headPath' || prop === 'headPathSteps') calls.push(`${prop}(${prop === 'headPathSteps' ? JSON.stringify(args[1]) : ''})`);
        if (prop === 'getBlob') calls.push('getBlob');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

test('a resume reads only which steps are done, never the notes, reads stored texts when it uses them, and requests only what is missing', async () => {
  env = await pipelineEnv({ tokensPerSecond: 0 });
  const s = env.store.createSession({ name: 'MSA', config: env.config({ concurrency: 1 }) });
  const stop = new AbortController();
  let maps = 0;
  const first = await runSession(s.id, { store: env.store, owner: `test-${process.pid}` }, {
    signal: stop.signal,
    onEvent: (e) => {
      if (e.type === 'step' && e.kind === 'map' && ++maps === 4) stop.abort(new Error('enough for the test'));
    },
  });
  expect(first.status).toBe('paused');
  for (let i = 0; i < 300; i += 1) env.store.appendCheckpoint(s.id, { kind: 'note', state: { n: i }, output: `Reviewer note ${i}.` });
  const chunks = readResults(env.store, s.id).chunks.length;
  const done = readResults(env.store, s.id).results.filter((c) => c.status === 'done').length;
  expect(done).toBeGreaterThanOrEqual(4);
  expect(done).toBeLessThan(chunks);

  const calls: string[] = [];
  const before = env.sim.log.completions().length;
  let blobsBeforeFirstRequest: number | null = null;
  const out = await runSession(s.id, { store: countingReads(env.store, calls), owner: `test-${process.pid}` }, {
    onEvent: (e) => {
      if (e.type === 'attempt') blobsBeforeFirstRequest ??= calls.filter((c) => c === 'getBlob').length;
    },
  });
  expect(out.status).toBe('done');
  expect(calls.filter((c) => c !== 'getBlob')).toEqual([`headPathSteps(${JSON.stringify(RUN_KINDS)})`]);
  // The document's text and source map, the chunk list, and the one passage requested (concurrency 1): not the done findings.
  expect(blobsBeforeFirstRequest).toBe(4);
  expect(RUN_KINDS).not.toContain('note');
  // The passages not done yet and the report, nothing else.
  expect(env.sim.log.completions().length - before).toBe(chunks - done + 1);
  expect(readResults(env.store, s.id).results.every((c) => c.status === 'done')).toBe(true);
});
