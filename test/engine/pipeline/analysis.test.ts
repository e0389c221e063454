import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runSession } from '../../../electron/engine/pipeline/analysis.ts';
import { readResults } from '../../../electron/engine/pipeline/read-model.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

const deps = (e: PipelineEnv) => ({ store: e.store, owner: `test-${process.pid}`, retry: { baseMs: 5, capMs: 20 } });

describe('analysis pipeline', () => {
  test('runs a document to a checked report, and a re-run pays for nothing', async () => {
    env = await pipelineEnv();
    const s = env.store.createSession({ name: 'MSA', config: env.config() });
    const out = await runSession(s.id, deps(env));
    expect(out.status).toBe('done');
    expect(out.exitCode).toBe(0);
    const r = readResults(env.store, s.id);
    expect(r.chunks.length).toBeGreaterThan(5);
    expect(r.results.every((c) => c.status === 'done')).toBe(true);
    expect(r.report?.text.length).toBeGreaterThan(20);
    const calls = env.sim.log.completions().length;
    expect(calls).toBe(r.chunks.length + 1);
    expect(out.requests).toBe(calls);
    expect(env.store.getSession(s.id).progress).toMatchObject({ done: r.chunks.length + 1, total: r.chunks.length + 1 });

    const again = await runSession(s.id, deps(env));
    expect(again.status).toBe('done');
    expect(env.sim.log.completions().length).toBe(calls);
    expect(again.report).toBe(out.report);
  });

  test('a fork with the same task re-uses everything; with an edited task only the model calls re-run', async () => {
    env = await pipelineEnv();
    const s = env.store.createSession({ name: 'MSA', config: env.config() });
    await runSession(s.id, deps(env));
    const chunks = readResults(env.store, s.id).chunks.length;
    const before = env.sim.log.completions().length;
    const chunkCp = env.store.headPath(s.id).find((c) => c.kind === 'chunks')!;

    const same = env.store.fork(s.id, chunkCp.id, { name: 'same task' });
    expect((await runSession(same.id, deps(env))).status).toBe('done');
    expect(env.sim.log.completions().length).toBe(before);

    const edited = env.store.fork(s.id, chunkCp.id, { name: 'risks', config: env.config({ task: 'Summarise the risks' }) });
    const out = await runSession(edited.id, deps(env));
    expect(out.status).toBe('done');
    expect(env.sim.log.completions().length - before).toBe(chunks + 1);
    const detail = readResults(env.store, edited.id);
    expect(detail.results.every((c) => c.status === 'done')).toBe(true);
    expect(detail.report?.text).not.toBe(readResults(env.store, s.id).report?.text);
  });

  test('citations in the report map to real chunks or are flagged', async () => {
    env = await pipelineEnv();
    const s = env.store.createSession({ name: 'MSA', config: env.config() });
    await runSession(s.id, deps(env));
    const r = readResults(env.store, s.id);
    expect(r.report!.citations.length).toBeGreaterThan(0);
    for (const c of r.report!.citations) {
      if (c.valid) expect(r.chunks[c.chunkIndex!]).toBeDefined();
      else expect(c.chunkIndex).toBeNull();
    }
  });

  test('a 401 stops at once with exit 3 and an actionable reason', async () => {
    env = await pipelineEnv({ apiKey: 'expected-key' });
    const s = env.store.createSession({ name: 'MSA', config: env.config() });
    const out = await runSession(s.id, deps(env));
    expect(out.exitCode).toBe(3);
    expect(out.status).toBe('paused');
    expect(out.reason?.message).toMatch(/Simulator/);
    expect(env.sim.log.completions().length).toBe(1);
  });

  test('a failed passage does not fail the session; resuming retries only it', async () => {
    env = await pipelineEnv();
    const s = env.store.createSession({ name: 'MSA', config: env.config({ maxAttempts: 2 }) });
    let victim: string | null = null;
    env.sim.setFaults([{ fault: { kind: 'server_error' }, times: 2, predicate: (req) => (victim ??= req.requestKey) === req.requestKey }]);
    const out = await runSession(s.id, deps(env));
    // No retry is coming: it reads as paused with its reason (Resume retries the passage), never as a live wait.
    expect(out.status).toBe('paused');
    expect(out.reason).toMatchObject({ code: 'attempts_exhausted' });
    expect(out.exitCode).toBe(4);
    expect(env.store.getSession(s.id)).toMatchObject({ status: 'paused', retryAt: null, reason: { code: 'attempts_exhausted' } });
    const r = readResults(env.store, s.id);
    const failed = r.results.filter((c) => c.status === 'failed');
    expect(failed.length).toBe(1);
    expect(r.results.filter((c) => c.status === 'done').length).toBe(r.chunks.length - 1);
    const before = env.sim.log.completions().length;
    const resumed = await runSession(s.id, deps(env));
    expect(resumed.status).toBe('done');
    expect(env.sim.log.completions().length - before).toBe(2); // the failed passage and the report
  });
});

describe('large documents', () => {
  test('a document cut into more than a thousand passages keeps its whole chunk list', async () => {
    env = await pipelineEnv({ words: 3 }, 320);
    const s = env.store.createSession({ name: 'Big', config: env.config({ chunkTokens: 64, overlapTokens: 0, concurrency: 16 }) });
    const out = await runSession(s.id, deps(env));
    expect(out.status).toBe('done');
    const r = readResults(env.store, s.id);
    expect(r.chunks.length).toBeGreaterThan(1_000);
    expect(r.results.every((c) => c.status === 'done')).toBe(true);
    const chunksCp = r.path.find((cp) => cp.kind === 'chunks')!;
    expect(JSON.stringify(chunksCp.state).length).toBeLessThan(1_000);
  }, 120_000);
});

describe('several documents', () => {
  test('each passage says which document it comes from', async () => {
    env = await pipelineEnv({ words: 10 }, 4);
    const second = join(env.dir, 'annex.md');
    writeFileSync(second, '# Annex\n\n## 1. Scope\n\nThe Supplier shall deliver the annex report within 5 days of the request.\n');
    const s = env.store.createSession({ name: 'Two', config: env.config({ documents: [env.doc, second] }) });
    expect((await runSession(s.id, deps(env))).status).toBe('done');
    const sources = readResults(env.store, s.id).results.map((c) => c.source);
    expect(sources.some((x) => x.startsWith('contract.md · '))).toBe(true);
    expect(sources.some((x) => x.startsWith('annex.md · '))).toBe(true);
  });
});
