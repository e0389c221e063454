// A resume goes on with the text the session read (its results stay
// consistent), and says so when the file on disk has changed or gone; a file
// only touched (same bytes, new time) is not "changed".
import { appendFileSync, rmSync, utimesSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { runSession, type AnalysisEvent } from '../../../electron/engine/pipeline/analysis.ts';
import { readResults } from '../../../electron/engine/pipeline/read-model.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

/** Runs (or resumes) the session, stopping after `maps` more map steps when given; returns its warnings. */
async function runFor(e: PipelineEnv, sessionId: string, maps: number | null): Promise<{ status: string; warnings: Array<Extract<AnalysisEvent, { type: 'warning' }>> }> {
  const stop = new AbortController();
  const warnings: Array<Extract<AnalysisEvent, { type: 'warning' }>> = [];
  let done = 0;
  const out = await runSession(sessionId, { store: e.store, owner: `test-${process.pid}` }, {
    signal: stop.signal,
    onEvent: (ev) => {
      if (ev.type === 'warning') warnings.push(ev);
      if (ev.type === 'step' && ev.kind === 'map' && maps !== null && ++done === maps) stop.abort(new Error('enough for the test'));
    },
  });
  return { status: out.status, warnings };
}

test('a resume says when the document changed on disk or is gone, and goes on with the text it read', async () => {
  env = await pipelineEnv({ tokensPerSecond: 0 });
  const s = env.store.createSession({ name: 'MSA', config: env.config({ concurrency: 1 }) });
  expect((await runFor(env, s.id, 2)).warnings).toEqual([]);
  const chunksBefore = readResults(env.store, s.id).chunks.length;

  // Touched, same bytes: nothing to say.
  utimesSync(env.doc, new Date(), new Date(Date.now() + 60_000));
  const touched = await runFor(env, s.id, 1);
  expect(touched.status).toBe('paused');
  expect(touched.warnings).toEqual([]);

  // Changed: said, with what to do; the session keeps the passages it cut from the text it read.
  appendFileSync(env.doc, '\n## 99. A clause added later\n\nThe Supplier shall also do something new.\n');
  const changed = await runFor(env, s.id, 1);
  expect(changed.warnings).toEqual([expect.objectContaining({
    message: expect.stringMatching(/^contract\.md has changed on disk since this session read it \(\d{4}-\d{2}-\d{2}\)\. The session goes on with the text it read then/),
    hint: 'To analyse the new version, start a new analysis with the file.',
  })]);
  expect(readResults(env.store, s.id).chunks.length).toBe(chunksBefore);

  // Gone: said; the session still finishes from what it read.
  rmSync(env.doc);
  const gone = await runFor(env, s.id, null);
  expect(gone.status).toBe('done');
  expect(gone.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^contract\.md is no longer at .*contract\.md\. The session goes on with the text it read on \d{4}-\d{2}-\d{2}\.$/)]);
});
