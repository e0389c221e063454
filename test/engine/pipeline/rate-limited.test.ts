// A run against a provider that allows fewer open streams than the session's concurrency:
// the throttle learns the limit from the 429s and the run loses nothing. Counts from the simulator's log.
import { afterEach, describe, expect, test } from 'vitest';
import { runSession, type AnalysisEvent } from '../../../electron/engine/pipeline/analysis.ts';
import { readResults } from '../../../electron/engine/pipeline/read-model.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

const deps = (e: PipelineEnv) => ({ store: e.store, owner: `test-${process.pid}`, retry: { baseMs: 5, capMs: 20 } });

describe('a run under the provider\'s limits', () => {
  test('2 streams allowed, concurrency 6: every passage is analysed and the 429s stay few', async () => {
    env = await pipelineEnv({ words: 30, tokensPerSecond: 300, rateLimits: { concurrentStreams: 2 } }, 36);
    const s = env.store.createSession({ name: 'MSA', config: env.config({ concurrency: 6 }) });
    const out = await runSession(s.id, deps(env));
    expect(out.status).toBe('done');
    const r = readResults(env.store, s.id);
    expect(r.results.every((c) => c.status === 'done')).toBe(true);
    expect(env.store.getSession(s.id).progress?.failed).toBe(0);
    const log = env.sim.log;
    const answered = log.completions().filter((e) => e.status === 200);
    expect(answered).toHaveLength(r.chunks.length + 1);
    expect(log.maxConcurrent()).toBeLessThanOrEqual(2);
    const refused = log.limited('concurrency').length;
    expect(log.limited()).toHaveLength(refused);
    // The first burst (up to 6 sent, 2 allowed) is refused at most 4 times; after that, a probe now and then at most.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(4 + Math.ceil(r.chunks.length / 6));
  });

  test('the run says what the provider limits it to, from its headers', async () => {
    env = await pipelineEnv({ words: 20, rateLimits: { requestsPerMinute: 6_000, tokensPerMinute: 6_000_000 } });
    const s = env.store.createSession({ name: 'MSA', config: env.config() });
    const events: AnalysisEvent[] = [];
    const out = await runSession(s.id, { ...deps(env) }, { onEvent: (e) => events.push(e) });
    expect(out.status).toBe('done');
    const limits = events.filter((e) => e.type === 'limits');
    expect(limits[0]).toMatchObject({ requestsPerMinute: 6_000, tokensPerMinute: 6_000_000, maxConcurrency: 3 });
  });
});
