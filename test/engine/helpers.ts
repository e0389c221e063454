// Shared set-up for engine tests: a simulator on 127.0.0.1, a provider profile
// pointing at it, and a real checkpoint store in a temporary directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SessionConfigSchema, type ProviderProfile, type Session } from '../../shared/domain.ts';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../electron/engine/simulator/index.ts';
import { ProviderClient } from '../../electron/engine/provider/client.ts';

export const PASSAGE_TEXT = [
  'Section 4 covers maintenance. The tenant shall pay the rent monthly in advance [p. 3].',
  'The landlord must repair structural defects within thirty days of notice [§ 4.2].',
  'Either party may terminate the lease with three months written notice [p. 7].',
].join('\n');

export function simProfile(sim: Simulator, over: Partial<ProviderProfile> = {}): ProviderProfile {
  return {
    name: 'Simulator', baseUrl: sim.baseURL, model: 'cairn-simulator', headers: {}, keySource: { kind: 'none' }, simulator: true, ...over,
  };
}

export function simClient(sim: Simulator, over: Partial<ProviderProfile> = {}, apiKey = 'no-key-needed', source = 'no key (none configured)'): ProviderClient {
  return new ProviderClient(simProfile(sim, over), { apiKey, source });
}

export interface TestEnv {
  sim: Simulator;
  store: CheckpointStore;
  dir: string;
  session: Session;
  close(): Promise<void>;
}

export async function setup(simOpts: SimulatorOptions = {}, profile: Partial<ProviderProfile> = {}): Promise<TestEnv> {
  const sim = await startSimulator(simOpts);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-engine-'));
  const store = CheckpointStore.open({ dataDir: dir });
  const config = SessionConfigSchema.parse({ task: 'List the obligations.', provider: simProfile(sim, profile) });
  const session = store.createSession({ name: 'engine test', config });
  return {
    sim, store, dir, session,
    async close() {
      store.close();
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function userMessages(extra = ''): Array<{ role: 'system' | 'user'; content: string }> {
  return [
    { role: 'system', content: 'You analyse documents and cite the source markers you were given.' },
    { role: 'user', content: `Task: list the obligations.\n\n${PASSAGE_TEXT}${extra}` },
  ];
}
