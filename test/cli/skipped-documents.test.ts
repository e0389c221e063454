// Bad documents through the real CLI: a run whose every input is bad prints its error once, exits 2 and
// leaves no session; a run with one good and one empty file completes, names the session after the good
// one and says which file it skipped and why.
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { jsonOf, runCli, simArgs, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('skipped', 2);

describe('bad documents', () => {
  it('every input bad: exit 2, each file named once with its size and the limit, and no session left behind', async () => {
    const sim = await startSimulator({ words: 30 });
    ws.sims.push(sim);
    const big = join(ws.root, 'big.txt');
    const empty = join(ws.root, 'empty.txt');
    writeFileSync(big, '');
    truncateSync(big, 200 * 1024 * 1024 + 1);
    writeFileSync(empty, '');
    const dataDir = join(ws.root, 'all-bad');
    const r = await runCli(['run', big, empty, '--task', 'Summarise', ...simArgs(sim.baseURL)], { dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr.match(/big\.txt is 200\.0 MB \(209715201 bytes\), over the 200\.0 MB \(209715200 bytes\) limit/g)).toHaveLength(1);
    expect(r.stderr.match(/empty\.txt is empty \(0 bytes\)/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/Settings/);
    const list = await runCli(['sessions', '--json'], { dataDir });
    expect(jsonOf<unknown[]>(list)).toEqual([]);
  });

  it('one good and one empty file: done, the session is named after the good one, and the skipped file is said with why', async () => {
    const sim = await startSimulator({ words: 30 });
    ws.sims.push(sim);
    const empty = join(ws.root, 'blank.txt');
    writeFileSync(empty, '');
    const dataDir = join(ws.root, 'one-bad');
    const r = await runCli(['run', ws.doc, empty, '--task', 'Summarise', ...simArgs(sim.baseURL)], { dataDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Skipped blank.txt: blank.txt is empty (0 bytes).');
    const sessions = jsonOf<Array<{ id: string; name: string }>>(await runCli(['sessions', '--json'], { dataDir }));
    expect(sessions.map((s) => s.name)).toEqual(['contract.md — Summarise']);
    const dry = await runCli(['run', ws.doc, empty, '--task', 'Summarise', '--dry-run', ...simArgs(sim.baseURL)], { dataDir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Skipped blank.txt: blank.txt is empty (0 bytes).');
    const shown = jsonOf<{ skippedDocuments: unknown[] }>(await runCli(['show', sessions[0]!.id, '--json'], { dataDir }));
    expect(shown.skippedDocuments).toEqual([{ name: 'blank.txt', code: 'empty', message: 'blank.txt is empty (0 bytes).' }]);
  });
});
