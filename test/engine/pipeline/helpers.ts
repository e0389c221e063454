// Shared set-up for pipeline tests: a temp data dir with a real store, the
// simulator on 127.0.0.1, and a generated multi-section contract.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionConfigSchema, type SessionConfig } from '../../../shared/domain.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../electron/engine/simulator/index.ts';
import { SIMULATOR_MODEL } from '../../../shared/providers.ts';
import { CheckpointStore } from '../../../electron/store/checkpoint-store.ts';

export function contractMarkdown(sections = 12): string {
  const out = ['# Services Agreement between Northwind Analytics Ltd and Harbor Freight Systems'];
  for (let s = 1; s <= sections; s++) {
    out.push(`## ${s}. Clause ${s}`);
    for (let p = 1; p <= 3; p++) {
      out.push(`### ${s}.${p} Provision ${s}.${p}`);
      out.push(`The Supplier shall deliver report ${s}-${p} within ${10 + s + p} days of the request. Late delivery incurs a fee of ${s}% of the monthly charge, capped at EUR ${1000 * s}. The Customer shall pay each invoice within 30 days. ` +
        `Either party may terminate on ${30 * p} days written notice if the other party breaches clause ${s}.${p} and fails to cure it.`);
    }
  }
  return out.join('\n\n') + '\n';
}

export interface PipelineEnv {
  dir: string;
  store: CheckpointStore;
  sim: Simulator;
  doc: string;
  config(patch?: Partial<SessionConfig>): SessionConfig;
  cleanup(): Promise<void>;
}

export async function pipelineEnv(simOpts: SimulatorOptions = {}, sections = 12): Promise<PipelineEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-pipeline-'));
  const store = CheckpointStore.open({ dataDir: join(dir, 'data') });
  const sim = await startSimulator({ words: 40, ...simOpts });
  const doc = join(dir, 'contract.md');
  writeFileSync(doc, contractMarkdown(sections));
  return {
    dir, store, sim, doc,
    config: (patch = {}) => SessionConfigSchema.parse({
      task: 'Extract every obligation with its deadline',
      template: 'obligations',
      provider: { name: 'Simulator', baseUrl: sim.baseURL, model: SIMULATOR_MODEL, keySource: { kind: 'none' }, simulator: true },
      documents: [doc],
      chunkTokens: 300,
      overlapTokens: 30,
      concurrency: 3,
      ...patch,
    }),
    cleanup: async () => {
      store.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
