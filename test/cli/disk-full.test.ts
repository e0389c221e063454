// A full disk under the data directory, through the real `cairn` command: a
// 3 MB tmpfs filled up before a command starts (reading still works; writing
// says "disk full", which file and how much is free), and filled while a run
// streams (the session pauses with exit 4 and, once space is freed, resumes to
// the report an uninterrupted run gives).
//
// Needs root: only root may mount the tmpfs that truly runs out of space (a
// file-size limit cannot stop SQLite creating its -shm index). CI runs as root;
// elsewhere these tests are reported as skipped for that reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { jsonOf, lastEvent, runCli, sessionIdOf, simArgs, startCli, TASK, tempDir } from './helpers.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';

const canMount = process.getuid?.() === 0 && (() => {
  const probe = tempDir('mount-probe');
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.dir]).status === 0;
  if (ok) spawnSync('umount', [probe.dir]);
  probe.cleanup();
  return ok;
})();

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function simulator(tokensPerSecond: number): Promise<Simulator> {
  const sim = await startSimulator({ words: 40, tokensPerSecond });
  cleanups.push(() => sim.close());
  return sim;
}

/** A 3 MB tmpfs as the data dir, unmounted after the file's tests. */
function smallDisk(label: string): { dataDir: string; doc: string } {
  const work = tempDir(label);
  cleanups.push(work.cleanup);
  const dataDir = join(work.dir, 'data');
  mkdirSync(dataDir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dataDir]);
  cleanups.push(() => spawnSync('umount', [dataDir]));
  const doc = join(work.dir, 'contract.md');
  writeFileSync(doc, contractMarkdown(6));
  return { dataDir, doc };
}

/** Writes a filler file until the disk refuses; returns how to free the space again. */
function fillUp(dataDir: string): () => void {
  const filler = join(dataDir, 'filler');
  try {
    writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024));
  } catch {
    // ENOSPC is the point: the file keeps what fitted
  }
  return () => rmSync(filler, { force: true });
}

const runArgs = (doc: string, sim: Simulator) => ['run', doc, '--task', TASK, '--chunk-tokens', '300', '--concurrency', '2', '--resume-policy', 'restart', ...simArgs(sim.baseURL), '--json'];

describe('a full disk under the data directory', () => {
  it.runIf(canMount)('filled before the command: sessions, show, timeline, verify and backup list work; run and backup create say "disk full"', async () => {
    const sim = await simulator(2_000);
    const { dataDir, doc } = smallDisk('full-before');
    const done = await runCli(runArgs(doc, sim), { dataDir });
    expect(lastEvent(done).type, done.stderr).toBe('done');
    const id = sessionIdOf(done);
    const free = fillUp(dataDir);

    const listed = await runCli(['sessions', '--json'], { dataDir });
    expect(listed.code, listed.stdout + listed.stderr).toBe(0);
    expect(jsonOf<Array<{ id: string }>>(listed).map((s) => s.id)).toEqual([id]);
    for (const argv of [['show', id, '--json'], ['timeline', id, '--json'], ['verify', '--json'], ['backup', 'list']]) {
      const r = await runCli(argv, { dataDir });
      expect(r.code, `${argv.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    for (const argv of [runArgs(doc, sim), ['backup', 'create']]) {
      const r = await runCli(argv, { dataDir });
      const said = r.stdout + r.stderr;
      expect(r.code, `${argv.join(' ')}: ${said}`).toBe(4);
      expect(said).toMatch(/disk full/i);
      expect(said).toContain(dataDir);
      expect(said).toMatch(/KiB free/);
      expect(said).not.toMatch(/disk I\/O error/);
    }
    free();
    const after = await runCli(['backup', 'create'], { dataDir });
    expect(after.code, after.stdout + after.stderr).toBe(0);
  }, 120_000);

  it.runIf(canMount)('filled while a run streams: the session pauses (exit 4) and resumes to the uninterrupted report once space is freed', async () => {
    const refSim = await simulator(400);
    const ref = tempDir('full-ref');
    cleanups.push(ref.cleanup);
    const { dataDir, doc } = smallDisk('full-mid');
    const reference = await runCli(runArgs(doc, refSim), { dataDir: ref.dir });
    expect(lastEvent(reference).type, reference.stderr).toBe('done');
    const refId = sessionIdOf(reference);
    const refReport = jsonOf<{ report: string }>(await runCli(['show', refId, '--json'], { dataDir: ref.dir })).report;

    const sim = await simulator(400);
    const proc = startCli(runArgs(doc, sim), { dataDir });
    // After the first model call is committed, while the others stream.
    await proc.waitFor((e) => e.type === 'step' && typeof e.memoKey === 'string');
    const free = fillUp(dataDir);
    const paused = await proc.exited;
    expect(paused.code, paused.stdout.slice(-2_000) + paused.stderr).toBe(4);
    expect(lastEvent(paused)).toMatchObject({ type: 'paused' });
    expect(JSON.stringify(lastEvent(paused))).toMatch(/disk full/i);
    expect(lastEvent(paused)).toHaveProperty('requests');
    expect(Number(lastEvent(paused).requests)).toBeGreaterThan(0);
    const id = sessionIdOf(paused);

    free();
    const resumed = await runCli(['resume', id, '--json'], { dataDir });
    expect(lastEvent(resumed).type, resumed.stdout.slice(-2_000) + resumed.stderr).toBe('done');
    const report = jsonOf<{ report: string }>(await runCli(['show', id, '--json'], { dataDir })).report;
    expect(report).toBe(refReport);
  }, 180_000);
});
