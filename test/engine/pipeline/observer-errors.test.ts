// The run's observer (a CLI progress bar, the app's event bridge) can fail; the
// analysis it observes must not: no passage may fail, nothing be paid twice.
import { afterEach, describe, expect, test } from 'vitest';
import { runSession } from '../../../electron/engine/pipeline/analysis.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

describe('a failing observer', () => {
  test('a throwing onEvent does not fail passages, and each passage is requested once', async () => {
    env = await pipelineEnv({ words: 20 }, 4);
    const s = env.store.createSession({ name: 'MSA', config: env.config() });
    let calls = 0;
    const out = await runSession(s.id, { store: env.store, owner: `test-${process.pid}`, retry: { baseMs: 5, capMs: 20 } }, {
      onEvent: () => {
        calls += 1;
        throw new Error('stdout is gone');
      },
    });
    expect(calls).toBeGreaterThan(0);
    expect(out.status).toBe('done');
    const keys = env.sim.log.completions().map((e) => e.requestKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
