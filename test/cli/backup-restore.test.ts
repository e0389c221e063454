// Replacing all data is never a default: without --mode, `backup restore`
// refuses when no person can be asked, and asks on a terminal.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { jsonOf, runCli, sessionIdOf, simArgs, startCliInTty, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('restore', 2);

async function withBackupAndLaterSession(name: string): Promise<{ dataDir: string; backupId: string; later: string }> {
  const sim = await startSimulator({ words: 10 });
  ws.sims.push(sim);
  const dataDir = join(ws.root, name);
  const backupId = jsonOf<{ id: string }>(await runCli(['backup', 'create', '--json'], { dataDir })).id;
  const later = sessionIdOf(await runCli(['run', ws.doc, '--task', 'Summarise', '--json', ...simArgs(sim.baseURL)], { dataDir }));
  return { dataDir, backupId, later };
}

const sessionIds = async (dataDir: string) => jsonOf<Array<{ id: string }>>(await runCli(['sessions', '--json'], { dataDir })).map((s) => s.id);

describe('backup restore without --mode', () => {
  it('refuses when stdin is not a terminal, says which modes exist, and changes nothing', async () => {
    const { dataDir, backupId, later } = await withBackupAndLaterSession('script');
    const r = await runCli(['backup', 'restore', backupId], { dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Say how to restore .*--mode replace .*safety backup.*--mode new-session --session <id>/);
    expect(await sessionIds(dataDir)).toEqual([later]);
  });

  it('asks on a terminal: Enter cancels, r replaces', async () => {
    const { dataDir, backupId, later } = await withBackupAndLaterSession('tty');
    const cancelled = startCliInTty(['backup', 'restore', backupId], { dataDir });
    await cancelled.waitForText(/r, n, or Enter to cancel: /);
    cancelled.write('\r');
    const c = await cancelled.exited;
    expect(c.output).toMatch(/Nothing was restored/);
    expect(await sessionIds(dataDir)).toEqual([later]);

    const replaced = startCliInTty(['backup', 'restore', backupId], { dataDir });
    await replaced.waitForText(/r, n, or Enter to cancel: /);
    replaced.write('r\r');
    const r = await replaced.exited;
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Restored .*\(replace\)\. The state before the restore was saved as /);
    expect(await sessionIds(dataDir)).toEqual([]);
  });
});
