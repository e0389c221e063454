// A store fault outside a model call (the progress write, the failed-passage
// note) must stop every map worker before the run returns and releases its
// lease: otherwise the other workers keep calling (and paying) the model for a
// session that shows as paused, and a resume requests the same passages again.
import { afterEach, describe, expect, test } from 'vitest';
import { runSession } from '../../../electron/engine/pipeline/analysis.ts';
import type { CheckpointStoreApi } from '../../../electron/store/types.ts';
import { StoreError } from '../../../electron/store/errors.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

/** The real store, whose progress writes fail with "disk full" once `failing` is set. */
function faultyProgress(store: CheckpointStoreApi, state: { failing: boolean }): CheckpointStoreApi {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop === 'updateSession') {
        return (id: string, patch: Parameters<CheckpointStoreApi['updateSession']>[1]) => {
          if (state.failing && patch.progress) throw new StoreError('disk_full', 'The disk is full.', 'Free some space.');
          return target.updateSession(id, patch);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('store fault during the map', () => {
  test('stops every worker before the run returns, with the disk reason', async () => {
    env = await pipelineEnv({ tokensPerSecond: 400, words: 30 });
    const s = env.store.createSession({ name: 'MSA', config: env.config({ concurrency: 3 }) });
    const state = { failing: false };
    const store = faultyProgress(env.store, state);
    let completed = 0;
    // Cairn's side of the wire: every request its provider client starts (the SDK takes globalThis.fetch when the run
    // creates it), and whether the run had returned by then. The simulator's log alone cannot say: on a loaded machine a
    // request the run started and aborted can reach the server after the run returned.
    const realFetch = globalThis.fetch;
    let returned = false;
    const started: Array<{ afterReturn: boolean }> = [];
    globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
      started.push({ afterReturn: returned });
      return realFetch(...args);
    }) as typeof fetch;
    let out: Awaited<ReturnType<typeof runSession>>;
    try {
      out = await runSession(s.id, { store, owner: `test-${process.pid}`, retry: { baseMs: 5, capMs: 20 } }, {
        onEvent: (e) => {
          if (e.type === 'step' && e.kind === 'map' && ++completed === 1) state.failing = true;
        },
      });
      returned = true;
      expect(out.status).toBe('paused');
      expect(out.reason?.code).toBe('disk_full');
      const checkpoints = env.store.headPath(s.id).length;
      // Every answer the server sent has ended: finished, or closed by Cairn (an aborted worker). A worker left running
      // would keep reading its stream; waiting for this is bounded by the test's timeout, not a time of its own.
      await expect.poll(() => env?.sim.log.completions().filter((e) => !e.finished && !e.clientClosed).length, { timeout: 30_000, interval: 20 }).toBe(0);
      // A leftover worker would start its next passage, or commit the one it had; neither happened.
      await new Promise((r) => setImmediate(r));
      expect(started.filter((x) => x.afterReturn)).toEqual([]);
      expect(started.length).toBeGreaterThan(0);
      expect(env.store.headPath(s.id).length).toBe(checkpoints);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
