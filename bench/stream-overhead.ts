// Issue 8 item 1: tokens per second streamed from the simulator at full speed
// through the real step runner, checkpointing on (the real store: parts every
// 250 ms, the completed step folded into a checkpoint and memo entry) vs off
// (a store that keeps nothing), alternating in the same run.
import { performance } from 'node:perf_hooks';
import type { Checkpoint } from '../shared/domain.ts';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { createProviderClient } from '../electron/engine/provider/client.ts';
import { startSimulator } from '../electron/engine/simulator/index.ts';
import { StepRunner, type StepStore } from '../electron/engine/step-runner.ts';
import { samplePrompt, sessionConfig } from './lib/fixtures.ts';
import { simulatorProfileAt } from '../shared/providers.ts';
import type { BenchContext, BenchResult } from './lib/report.ts';
import { median, round } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

/** Checkpointing off: the runner's store calls succeed and keep nothing. */
function nullStore(): StepStore {
  let n = 0;
  return {
    appendStreamPart: () => undefined,
    partial: () => null,
    memoGet: () => null,
    stepOnHeadPath: () => [],
    appendCheckpoint: () => {
      throw new Error('not used: the benchmark stream never fails');
    },
    completeStep: (sessionId, input): Checkpoint => {
      n += 1;
      const id = `01J${String(n).padStart(23, '0')}`;
      return {
        id, sessionId, parentId: null, kind: input.kind, stepKey: input.stepKey, state: null, outputHash: null,
        usage: input.usage, createdAt: new Date().toISOString(), hash: '0'.repeat(64),
      };
    },
  };
}

export async function streamOverhead(ctx: BenchContext): Promise<BenchResult> {
  const words = ctx.quick ? 3_000 : 20_000;
  const rounds = ctx.quick ? 2 : 5;
  const sim = await startSimulator({ words, tokensPerSecond: 0 });
  try {
    return await withTempDir('overhead', async (dir) => {
      const store = CheckpointStore.open({ dataDir: dir });
      try {
        const session = store.createSession({ name: 'overhead', config: sessionConfig(sim.baseURL) });
        const client = await createProviderClient(simulatorProfileAt(sim.baseURL));
        const on: number[] = [];
        const off: number[] = [];
        let partsOn = 0;
        const runOnce = async (checkpointing: boolean, i: number): Promise<number> => {
          const runner = new StepRunner({ store: checkpointing ? store : nullStore(), client, flushMs: 250 });
          let tokens = 0;
          runner.on('delta', () => {
            tokens += 1;
          });
          // A distinct prompt each run, so the memo never answers instead of the simulator.
          const messages = samplePrompt(4_000, ` (run ${i}, ${checkpointing ? 'on' : 'off'})`);
          const t = performance.now();
          await runner.run({ sessionId: session.id, stepKey: `overhead:${i}`, kind: 'map', task: 'overhead', messages });
          return tokens / ((performance.now() - t) / 1000);
        };
        await runOnce(false, -1); // warm-up: JIT, sockets, tokenizer
        for (let i = 0; i < rounds; i += 1) {
          // Alternate the order so drift on a shared machine hits both sides alike.
          if (i % 2 === 0) {
            off.push(await runOnce(false, i));
            on.push(await runOnce(true, i));
          } else {
            on.push(await runOnce(true, i));
            off.push(await runOnce(false, i));
          }
        }
        partsOn = Number(store.database.prepare('SELECT count(*) FROM checkpoints WHERE session_id = ?').pluck().get(session.id));
        const ratio = round(median(on) / median(off), 3);
        return {
          rows: [{
            benchmark: 'Streaming overhead',
            metric: `tokens/s at full simulator speed, checkpointing on / off (${words.toLocaleString('en')}-token answers, median of ${rounds})`,
            value: `${ratio} (${Math.round(median(on))} vs ${Math.round(median(off))} tok/s)`,
            target: '≥ 0.95',
          }],
          keys: { streamOverheadRatio: ratio },
          details: {
            streamOverhead: {
              tokensPerAnswer: words, rounds, tokensPerSecondOn: on.map((x) => Math.round(x)), tokensPerSecondOff: off.map((x) => Math.round(x)),
              checkpointsWritten: partsOn,
            },
          },
        };
      } finally {
        store.close();
      }
    });
  } finally {
    await sim.close();
  }
}
