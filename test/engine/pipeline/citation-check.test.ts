// The per-run citation check, end to end: the simulator quotes a passage and cites that passage, its reduce
// steps carry each finding's citation through, and the report records, per citation, whether its quote is in
// the chunk it resolves to.
import { resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runSession, type AnalysisEvent } from '../../../electron/engine/pipeline/analysis.ts';
import { readResults, toExportModel } from '../../../electron/engine/pipeline/read-model.ts';
import { toJson } from '../../../electron/engine/pipeline/export.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

const SAMPLE = resolve(import.meta.dirname, '../../../samples/master-services-agreement.md');
const deps = (e: PipelineEnv) => ({ store: e.store, owner: `test-${process.pid}`, retry: { baseMs: 5, capMs: 20 } });

describe('citation check on every run', () => {
  test('the demo on the sample: every citation in the report is verified against the chunk it resolves to', async () => {
    env = await pipelineEnv({ words: 120 });
    const s = env.store.createSession({
      name: 'demo',
      config: env.config({ documents: [SAMPLE], task: 'List every obligation with its deadline and the party that owes it', chunkTokens: 1200, overlapTokens: 100 }),
    });
    const events: AnalysisEvent[] = [];
    const out = await runSession(s.id, deps(env), { onEvent: (e) => events.push(e) });
    expect(out.status).toBe('done');
    const r = readResults(env.store, s.id);
    const citations = r.report!.citations;
    expect(citations.length).toBeGreaterThan(2);
    expect(citations.map((c) => c.quoteCheck)).toEqual(citations.map(() => 'verified'));
    // Each finding of the report carries a citation: no quote is left without its source.
    const findingLines = out.report!.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(findingLines.length).toBeGreaterThan(2);
    for (const line of findingLines) expect(line).toMatch(/"[^"]+" \[[^\]]+\]/);
    const check = events.find((e) => e.type === 'citations');
    expect(check).toMatchObject({ type: 'citations', total: citations.length, verified: citations.length, unverified: 0 });
  });

  test('hierarchical reduce: each finding keeps its source through every level', async () => {
    env = await pipelineEnv({ words: 60 }, 14);
    const s = env.store.createSession({ name: 'deep', config: env.config() });
    const out = await runSession(s.id, { ...deps(env), contextWindows: [{ model: 'cairn-simulator', tokens: 900 }] });
    expect(out.status).toBe('done');
    const path = env.store.headPath(s.id);
    expect(path.filter((c) => c.kind === 'reduce').length).toBeGreaterThan(2);
    const r = readResults(env.store, s.id);
    expect(r.report!.citations.length).toBeGreaterThan(0);
    expect(r.report!.citations.every((c) => c.quoteCheck === 'verified')).toBe(true);
  });

  test('the JSON export carries the mark and the quote of every citation', async () => {
    env = await pipelineEnv();
    const s = env.store.createSession({ name: 'MSA', config: env.config() });
    await runSession(s.id, deps(env));
    const json = JSON.parse(toJson(toExportModel(readResults(env.store, s.id)))) as { citations: Array<{ quoteCheck: string; quote: string | null }> };
    expect(json.citations.length).toBeGreaterThan(0);
    for (const c of json.citations) expect(c).toMatchObject({ quoteCheck: 'verified', quote: expect.any(String) });
  });
});
