// Rename, archive, delete (to the trash) and the trash itself, through the real
// `cairn` command on a real data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { jsonOf, lastEvent, runCli, simArgs, tempDir, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('manage', 2);
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ words: 20, tokensPerSecond: 0 });
  ws.sims.push(sim);
});

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

interface Row { id: string; name: string; status: string }

async function analysed(dataDir: string, name: string): Promise<string> {
  const r = await runCli(['run', ws.doc, '--task', 'Find every obligation', '--name', name, ...simArgs(sim.baseURL), '--json'], { dataDir });
  expect(lastEvent(r), r.stderr).toMatchObject({ type: 'done' });
  return String(r.events.find((e) => e.type === 'session')?.id);
}

const cli = (dataDir: string, ...args: string[]) => runCli([...args, '--json'], { dataDir });
const names = async (dataDir: string, ...args: string[]) => jsonOf<Row[]>(await cli(dataDir, 'sessions', ...args)).map((s) => s.name);

describe('cairn rename | archive | unarchive | delete | trash', () => {
  it('renames, archives and unarchives; deletes to the trash, restores from it and empties it', async () => {
    const t = tempDir('manage-data');
    cleanups.push(t.cleanup);
    const a = await analysed(t.dir, 'first');
    const b = await analysed(t.dir, 'second');

    const renamed = await cli(t.dir, 'rename', a, 'Supplier obligations');
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(jsonOf(renamed)).toMatchObject({ id: a, name: 'Supplier obligations' });
    expect(jsonOf<{ name: string }>(await cli(t.dir, 'show', a)).name).toBe('Supplier obligations');

    expect((await cli(t.dir, 'archive', a)).code).toBe(0);
    expect(await names(t.dir)).toEqual(['second']);
    expect(await names(t.dir, '--all')).toEqual(expect.arrayContaining(['second', 'Supplier obligations']));
    expect((await cli(t.dir, 'unarchive', a)).code).toBe(0);
    expect((await names(t.dir)).sort()).toEqual(['Supplier obligations', 'second']);

    const deleted = await cli(t.dir, 'delete', b);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await names(t.dir, '--all')).toEqual(['Supplier obligations']);
    expect(jsonOf<Row[]>(await cli(t.dir, 'trash', 'list')).map((s) => [s.id, s.name])).toEqual([[b, 'second']]);

    const restored = await cli(t.dir, 'trash', 'restore', b);
    expect(restored.code, restored.stderr).toBe(0);
    expect(jsonOf(restored)).toMatchObject({ id: b, status: 'done' });
    expect(jsonOf<Row[]>(await cli(t.dir, 'trash', 'list'))).toEqual([]);
    expect((await names(t.dir)).sort()).toEqual(['Supplier obligations', 'second']);

    expect((await cli(t.dir, 'delete', b)).code).toBe(0);
    const emptied = await cli(t.dir, 'trash', 'empty');
    expect(emptied.code, emptied.stderr).toBe(0);
    expect(jsonOf(emptied)).toEqual({ purged: 1 });
    const gone = await cli(t.dir, 'show', b);
    expect(gone.code).toBe(2);
    expect(jsonOf(gone)).toMatchObject({ type: 'error', code: 'not_found' });
    expect(jsonOf<{ status: string }>(await cli(t.dir, 'show', a)).status).toBe('done');
  }, 120_000);

  it('refuses to delete a session another process is running, and says why', async () => {
    const t = tempDir('manage-busy');
    cleanups.push(t.cleanup);
    const a = await analysed(t.dir, 'busy');
    const holder = CheckpointStore.open({ dataDir: t.dir });
    try {
      expect(holder.acquireLease(a, 'another-process')).not.toBeNull();
      const r = await cli(t.dir, 'delete', a);
      expect(r.code).toBe(4);
      expect(jsonOf(r)).toMatchObject({ type: 'error', code: 'lease_held' });
      expect(await names(t.dir)).toEqual(['busy']);
    } finally {
      holder.close();
    }
  }, 60_000);

  it('a trash restore of a session that is not in the trash is refused', async () => {
    const t = tempDir('manage-not-trashed');
    cleanups.push(t.cleanup);
    const a = await analysed(t.dir, 'kept');
    const r = await cli(t.dir, 'trash', 'restore', a);
    expect(r.code).toBe(2);
    expect(jsonOf(r)).toMatchObject({ type: 'error', code: 'invalid_input' });
  }, 60_000);
});
