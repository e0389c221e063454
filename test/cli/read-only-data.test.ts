// A data directory that can only be read (`chmod -R a-w`, or a disk mounted
// read-only) is still readable: sessions, show, timeline, verify, export and
// backup list work without a lease, a migration or a single byte written; a
// command that would write refuses with what to do.
//
// The CLI runs as an ordinary user (`nobody`) on a directory that user owns:
// root ignores mode bits, so as root a chmod would prove nothing. When the
// tests run as root (CI) they switch to `nobody` for the CLI; elsewhere the CLI
// runs as the user the tests run as, which is already not root.
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { filesUnder, jsonOf, lastEvent, runCli, SAMPLE, sessionIdOf, simArgs, startCli, TASK, tempDir } from './helpers.ts';

const isRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65_534, gid: 65_534 };
const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** chmod -R a-w (and, as root, the tree handed to `nobody` first), like a user's own folder made read-only. */
function makeReadOnlyTree(dir: string): void {
  if (isRoot) for (const p of [dir, ...everything(dir)]) chownSync(p, NOBODY.uid, NOBODY.gid);
  for (const p of [...everything(dir), dir]) chmodSync(p, statSync(p).mode & 0o7555);
}

function makeWritableAgain(dir: string): void {
  for (const p of [dir, ...everything(dir)]) {
    chmodSync(p, statSync(p).mode | 0o200);
    if (isRoot) chownSync(p, 0, 0);
  }
}

function everything(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out.push(p);
    if (statSync(p).isDirectory()) out.push(...everything(p));
  }
  return out;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of filesUnder(dir)) out[f] = createHash('sha256').update(readFileSync(f)).digest('hex');
  return out;
}

describe('a read-only data directory', () => {
  it('is read by sessions, show, timeline, verify, export and backup list; writes are refused with the fix; nothing changes', async () => {
    const sim: Simulator = await startSimulator({ words: 24, tokensPerSecond: 400 });
    cleanups.push(() => sim.close());
    const work = tempDir('ro-data');
    cleanups.push(work.cleanup);
    chmodSync(work.dir, 0o755);
    const dataDir = join(work.dir, 'data');
    const outDir = join(work.dir, 'out');
    mkdirSync(dataDir);
    mkdirSync(outDir, { mode: 0o777 });
    chmodSync(outDir, 0o777);
    const args = ['run', SAMPLE, '--task', TASK, '--chunk-tokens', '600', ...simArgs(sim.baseURL), '--json'];

    // One finished session (closed cleanly: no WAL left) and one killed after its first step (WAL and -shm left behind).
    const done = await runCli(args, { dataDir });
    expect(lastEvent(done).type).toBe('done');
    const doneId = sessionIdOf(done);
    const as = isRoot ? { user: NOBODY } : {};
    const cli = (argv: string[]) => runCli(argv, { dataDir, ...as });

    // Closed cleanly: the database has no WAL, and SQLite cannot create its -shm index in this folder.
    expect(readdirSync(dataDir)).not.toContain('cairn.db-wal');
    makeReadOnlyTree(dataDir);
    const clean = snapshot(dataDir);
    const first = await cli(['show', doneId, '--json']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(jsonOf<{ status: string }>(first).status).toBe('done');
    expect(snapshot(dataDir)).toEqual(clean);
    makeWritableAgain(dataDir);

    const killed = startCli(args, { dataDir });
    await killed.waitFor((e) => e.type === 'step');
    killed.child.kill('SIGKILL');
    const k = await killed.exited;
    const killedId = sessionIdOf(k);
    expect(readdirSync(dataDir)).toContain('cairn.db-wal');

    makeReadOnlyTree(dataDir);
    const before = snapshot(dataDir);
    const names = everything(dataDir).sort();

    const listed = await cli(['sessions', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(jsonOf<Array<{ id: string }>>(listed).map((s) => s.id).sort()).toEqual([doneId, killedId].sort());
    expect(listed.stdout + listed.stderr).toMatch(/read-only/);

    const shown = await cli(['show', doneId, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(jsonOf<{ status: string }>(shown).status).toBe('done');

    const timeline = await cli(['timeline', killedId, '--json']);
    expect(timeline.code, timeline.stderr).toBe(0);

    const verified = await cli(['verify', '--json']);
    expect(verified.code, verified.stderr).toBe(0);

    const out = join(outDir, 'report.md');
    const exported = await cli(['export', doneId, '--format', 'md', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').length).toBeGreaterThan(100);

    const backups = await cli(['backup', 'list']);
    expect(backups.code, backups.stderr).toBe(0);

    // Writing is refused, naming the data directory and the fix.
    for (const argv of [['resume', killedId, '--json'], ['backup', 'create']]) {
      const refused = await cli(argv);
      expect(refused.code, `${argv.join(' ')}: ${refused.stderr}`).toBe(4);
      expect(refused.stdout + refused.stderr).toContain(dataDir);
      expect(refused.stdout + refused.stderr).toMatch(/read-only|Permission denied/);
      expect(refused.stdout + refused.stderr).toMatch(/writable|write access/);
    }

    expect(everything(dataDir).sort()).toEqual(names);
    expect(snapshot(dataDir)).toEqual(before);
    makeWritableAgain(dataDir);
  }, 120_000);
});
