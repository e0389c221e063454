// Hints in the CLI name CLI commands and flags, never the desktop app's panels
// and buttons: the CLI chooses its hint by the reason's code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { runCli, simArgs, useCliWorkspace, writeSettings } from './helpers.ts';

const ws = useCliWorkspace('hints', 3);
const DESKTOP = /panel|Settings|refresh the|Export session\b|window|click/i;

describe('hints name CLI commands', () => {
  it.concurrent.each([
    ['a session that does not exist', async () => runCli(['show', '01JABCDEFGHJKMNPQRSTVWXYZ0'], { dataDir: join(ws.root, 'none') }), /cairn sessions/],
    ['a backup id that is not one', async () => runCli(['backup', 'verify', 'x..y'], { dataDir: join(ws.root, 'none-backup') }), /cairn backup list/],
    ['a damaged database', async () => {
      const dir = join(ws.root, 'damaged');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'cairn.db'), Buffer.alloc(8192, 0x5a));
      return runCli(['sessions'], { dataDir: dir });
    }, /cairn backup restore/],
    ['a key that is not set', async () => {
      const sim = await startSimulator({ words: 10 });
      ws.sims.push(sim);
      return runCli(['run', ws.doc, '--task', 'Summarise', ...simArgs(sim.baseURL), '--api-key-env', 'CAIRN_TEST_UNSET_KEY'], { dataDir: join(ws.root, 'key'), env: { CAIRN_TEST_UNSET_KEY: undefined } });
    }, /Export the key in environment variable CAIRN_TEST_UNSET_KEY, then: cairn resume [0-9A-Z]{26}/],
    ['a budget pause', async () => {
      const sim = await startSimulator({ words: 10 });
      ws.sims.push(sim);
      const dir = join(ws.root, 'budget');
      mkdirSync(dir, { recursive: true });
      writeSettings(dir, { prices: [{ model: 'cairn-simulator', inputPerMTok: 1_000, outputPerMTok: 1_000, setAt: '2026-01-01' }] });
      return runCli(['run', ws.doc, '--task', 'Summarise', ...simArgs(sim.baseURL), '--budget-usd', '0.001'], { dataDir: dir });
    }, /cairn resume [0-9A-Z]{26} --budget-usd/],
  ] as const)('%s', async (_what, run, hint) => {
    const r = await run();
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(hint);
    expect(r.stderr + r.stdout).not.toMatch(DESKTOP);
  });
});
