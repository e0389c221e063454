// `cairn run` SIGKILLed after committed steps, then one byte of its WAL header
// flipped: SQLite would drop the WAL (and the steps) without a word. `cairn
// sessions` must say which session lost which steps and offer what to do,
// `cairn verify` must fail, and the damaged WAL must be kept byte for byte.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { jsonOf, runCli, SAMPLE, simArgs, startCli, TASK, tempDir } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('a WAL damaged after a kill', () => {
  it('is noticed: the lost steps are named, verify fails, the WAL is kept', async () => {
    const sim = await startSimulator({ words: 24, tokensPerSecond: 200 });
    cleanups.push(() => sim.close());
    const data = tempDir('wal-loss');
    cleanups.push(data.cleanup);
    const proc = startCli(['run', SAMPLE, '--task', TASK, '--chunk-tokens', '600', '--concurrency', '2', ...simArgs(sim.baseURL), '--json'], { dataDir: data.dir });
    const steps: string[] = [];
    await proc.waitFor((e) => {
      if (e.type === 'step' && typeof e.memoKey === 'string') steps.push(e.memoKey);
      return steps.length >= 3;
    });
    proc.child.kill('SIGKILL');
    const killed = await proc.exited;
    const id = String(killed.events.find((e) => e.type === 'session')?.id);
    const walFile = join(data.dir, 'cairn.db-wal');
    const wal = readFileSync(walFile);
    wal[12] = (wal[12] as number) ^ 0xff;
    writeFileSync(walFile, wal);

    const listed = await runCli(['sessions', '--json'], { dataDir: data.dir });
    expect(listed.code, listed.stderr).toBe(0);
    const warning = listed.events.find((e) => e.type === 'warning');
    expect(String(warning?.message)).toContain(id);
    expect(String(warning?.message)).toMatch(/missing/);
    expect(String(warning?.message)).toMatch(/resume|backup/);

    const verified = await runCli(['verify', '--json'], { dataDir: data.dir });
    expect(verified.code).toBe(1);
    expect(jsonOf<{ ok: boolean; damaged: unknown[] }>(verified)).toMatchObject({ ok: false });
    expect(jsonOf<{ damaged: unknown[] }>(verified).damaged.length).toBeGreaterThanOrEqual(3);

    const kept = readdirSync(data.dir).filter((f) => f.startsWith('cairn.db-wal.unclean-'));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.some((f) => readFileSync(join(data.dir, f)).equals(wal))).toBe(true);
  }, 120_000);
});
