// A run with one good and one bad document says which it skipped and why (in its events and in the
// session); a document text or chunk list larger than one blob is stored in parts and the run completes,
// resumes and forks from it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runSession, type AnalysisEvent } from '../../../electron/engine/pipeline/analysis.ts';
import { renderExport } from '../../../electron/engine/pipeline/export.ts';
import { readResults, toExportModel, toShowJson } from '../../../electron/engine/pipeline/read-model.ts';
import { DocumentStateSchema, ChunksStateSchema, stateOf } from '../../../electron/engine/pipeline/step-keys.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

const deps = (e: PipelineEnv) => ({ store: e.store, owner: `test-${process.pid}`, retry: { baseMs: 5, capMs: 20 } });

describe('documents at scale', () => {
  test('one good and one empty file: the run completes and says, in its output and in the session, which file was skipped and why', async () => {
    env = await pipelineEnv({}, 3);
    const empty = join(env.dir, 'empty.txt');
    writeFileSync(empty, '');
    const s = env.store.createSession({ name: 'two', config: env.config({ documents: [env.doc, empty] }) });
    const events: AnalysisEvent[] = [];
    const out = await runSession(s.id, deps(env), { onEvent: (e) => events.push(e) });
    expect(out.status).toBe('done');
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    expect(warnings).toContain('Skipped empty.txt: empty.txt is empty (0 bytes).');
    const r = readResults(env.store, s.id);
    expect(r.skippedDocuments).toMatchObject([{ path: empty, name: 'empty.txt', code: 'empty', message: 'empty.txt is empty (0 bytes).' }]);
    expect(toShowJson(r).skippedDocuments).toEqual([{ name: 'empty.txt', code: 'empty', message: 'empty.txt is empty (0 bytes).' }]);
    expect(renderExport(toExportModel(r), 'md')).toContain('- Skipped empty.txt: empty.txt is empty (0 bytes).');

    // Once the file has text, a fork reads it and it is no longer listed as skipped.
    writeFileSync(empty, '# Annex\n\nThe Supplier shall keep the annex current.\n');
    const fork = env.store.fork(s.id, env.store.headPath(s.id)[0]!.id, { name: 'fixed' });
    expect((await runSession(fork.id, deps(env))).status).toBe('done');
    expect(readResults(env.store, fork.id).skippedDocuments).toEqual([]);
  });

  test('a document text and a chunk list larger than one blob are stored in parts: the run completes, and a fork re-chunks from the stored text', async () => {
    env = await pipelineEnv({}, 6);
    const s = env.store.createSession({ name: 'parts', config: env.config() });
    const small = { ...deps(env), textPartChars: 1_000 };
    const out = await runSession(s.id, small);
    expect(out.status).toBe('done');
    const path = env.store.headPath(s.id);
    const docCp = path.find((c) => c.kind === 'document')!;
    const docState = stateOf(docCp, DocumentStateSchema)!;
    expect(docCp.outputHash).toBeNull();
    expect(docState.textParts!.length).toBeGreaterThan(3);
    const chunksCp = path.find((c) => c.kind === 'chunks')!;
    expect(stateOf(chunksCp, ChunksStateSchema)!.listParts!.length).toBeGreaterThan(1);
    const r = readResults(env.store, s.id);
    expect(r.chunks.length).toBeGreaterThan(3);
    expect(r.results.every((c) => c.status === 'done')).toBe(true);

    // A fork with other chunk sizes reads the text back from its parts.
    const fork = env.store.fork(s.id, docCp.id, { name: 'rechunk', config: env.config({ chunkTokens: 200, overlapTokens: 0 }) });
    expect((await runSession(fork.id, small)).status).toBe('done');
    const f = readResults(env.store, fork.id);
    expect(f.chunks.length).toBeGreaterThan(r.chunks.length);
    expect(f.chunks.map((c, i) => f.chunkText(i)).join(' ')).toContain('Provision 6.3');
  });
});
