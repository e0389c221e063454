// Small things a new user trips over: a query with no match, the simulator
// note on a failed ask, the name of a fork with an edited task.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { jsonOf, runCli, sessionIdOf, simArgs, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('small', 2);
let sim: Simulator;
let dataDir: string;
let id: string;

beforeAll(async () => {
  sim = await startSimulator({ words: 15 });
  ws.sims.push(sim);
  dataDir = join(ws.root, 'data');
  id = sessionIdOf(await runCli(['run', ws.doc, '--task', 'Summarise', '--json', ...simArgs(sim.baseURL)], { dataDir }));
});

describe('small ones', () => {
  it('sessions --query with no match says that nothing matches, not that there are no sessions', async () => {
    const r = await runCli(['sessions', '--query', 'zebra'], { dataDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No sessions match --query "zebra"\. See every session with: cairn sessions\n$/);
    const status = await runCli(['sessions', '--status', 'failed'], { dataDir });
    expect(status.stdout).toMatch(/^No sessions match --status failed\./);
  });

  it('ask on a session that cannot answer prints the error only, no simulator note', async () => {
    const draft = join(ws.root, 'draft');
    const fresh = sessionIdOf(await runCli(['run', ws.doc, '--task', 'Summarise', '--json', ...simArgs(sim.baseURL), '--chunk-tokens', '400'], { dataDir: draft }));
    await runCli(['rollback', fresh, '--to', (jsonOf<{ items: Array<{ id: string; kind: string }> }>(await runCli(['timeline', fresh, '--json'], { dataDir: draft }))).items.find((c) => c.kind === 'chunks')!.id], { dataDir: draft });
    const r = await runCli(['ask', fresh, 'Which deadlines?'], { dataDir: draft });
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/simulator/);
    expect(r.stderr).toMatch(/^cairn: /);
  });

  it('fork --task names the fork after its task', async () => {
    const timeline = jsonOf<{ items: Array<{ id: string; kind: string }> }>(await runCli(['timeline', id, '--json'], { dataDir }));
    const chunks = timeline.items.find((c) => c.kind === 'chunks')!.id;
    const fork = jsonOf<{ name: string }>(await runCli(['fork', id, '--from', chunks, '--task', 'List only payment obligations', '--json'], { dataDir }));
    expect(fork.name).toMatch(/List only payment obligations/);
    const named = jsonOf<{ name: string }>(await runCli(['fork', id, '--from', chunks, '--task', 'Other', '--name', 'Mine', '--json'], { dataDir }));
    expect(named.name).toBe('Mine');
  });
});
