// The session lifecycle through the `cairn` command: after `rollback` a session
// is what its head says (show --json: paused, steps pending, no report) and
// `resume` finishes it from the memo with 0 requests; `import-session` keeps
// the status a session had and says so when the file is already here (--skip,
// --keep-both); `stop` ends a session for good.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { jsonOf, lastEvent, runCli, sessionIdOf, simArgs, tempDir } from './helpers.ts';

interface Show { id: string; status: string; reason: { code: string; message: string } | null; report: string | null; headId: string; chunks: Array<{ status: string }>; progress: { done: number; total: number } }
interface TimelineItem { id: string; kind: string; isHead: boolean }

let sim: Simulator;
let root: string;
let dir: string;
let cleanup: () => void;
let id: string;
let report: string;

const cli = (...args: string[]) => runCli(args, { dataDir: dir });
const show = async (sessionId: string, dataDir = dir) => jsonOf<Show>(await runCli(['show', sessionId, '--json'], { dataDir }));
const timeline = async (sessionId: string) => jsonOf<{ items: TimelineItem[] }>(await cli('timeline', sessionId, '--json')).items;

beforeAll(async () => {
  const t = tempDir('lifecycle');
  root = t.dir;
  cleanup = t.cleanup;
  dir = join(root, 'data');
  sim = await startSimulator({ words: 30 });
  const doc = join(root, 'contract.md');
  writeFileSync(doc, contractMarkdown(5));
  const r = await runCli(['run', doc, '--task', 'Find every obligation', '--chunk-tokens', '300', '--concurrency', '3', ...simArgs(sim.baseURL), '--json'], { dataDir: dir });
  if (r.code !== 0) throw new Error(`the analysis failed: ${r.stderr}`);
  id = sessionIdOf(r);
  report = String(lastEvent(r).report);
});
afterAll(async () => {
  await sim.close();
  cleanup();
});

describe('cairn rollback, then show and resume', () => {
  it('after rolling back to the chunks: paused with steps pending and no report; resume finishes from the memo with 0 requests', async () => {
    const chunksCp = (await timeline(id)).find((c) => c.kind === 'chunks')!;
    const rolled = jsonOf<{ status: string; progress: { done: number; total: number } }>(await cli('rollback', id, '--to', chunksCp.id, '--json'));
    expect(rolled.status).toBe('paused');

    const shown = await show(id);
    expect(shown).toMatchObject({ status: 'paused', headId: chunksCp.id, report: null, reason: { code: 'rolled_back' } });
    expect(shown.chunks.length).toBeGreaterThan(1);
    expect(shown.chunks.every((c) => c.status === 'pending')).toBe(true);
    expect(shown.progress).toEqual({ done: 0, total: shown.chunks.length + 1, failed: 0 });

    const before = sim.log.completions().length;
    const resumed = await cli('resume', id, '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(lastEvent(resumed)).toMatchObject({ type: 'done', requests: 0 });
    expect(sim.log.completions().length).toBe(before);
    const after = await show(id);
    expect(after).toMatchObject({ status: 'done', report });
    expect(after.progress.done).toBe(after.progress.total);
  });
});

describe('cairn import-session', () => {
  it('keeps done with its report, refuses the same file twice with a hint, and --skip / --keep-both choose', async () => {
    const file = join(root, 'done.cairn.json');
    expect((await cli('export-session', id, '--out', file)).code).toBe(0);
    const other = join(root, 'other-data');
    const first = await runCli(['import-session', file, '--json'], { dataDir: other });
    expect(first.code, first.stderr).toBe(0);
    const copy = jsonOf<{ id: string; status: string; skipped: boolean }>(first);
    expect(copy).toMatchObject({ status: 'done', skipped: false });
    expect(await show(copy.id, other)).toMatchObject({ status: 'done', reason: null, report });

    const again = await runCli(['import-session', file], { dataDir: other });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(copy.id);
    expect(again.stderr).toMatch(/--skip/);
    expect(again.stderr).toMatch(/--keep-both/);
    const againJson = jsonOf<{ type: string; code: string }>(await runCli(['import-session', file, '--json'], { dataDir: other }));
    expect(againJson).toMatchObject({ type: 'error', code: 'duplicate' });

    const skipped = await runCli(['import-session', file, '--skip', '--json'], { dataDir: other });
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(jsonOf(skipped)).toMatchObject({ id: copy.id, skipped: true, duplicateOf: copy.id });
    const both = await runCli(['import-session', file, '--keep-both', '--json'], { dataDir: other });
    expect(both.code, both.stderr).toBe(0);
    const second = jsonOf<{ id: string; status: string; duplicateOf: string }>(both);
    expect(second).toMatchObject({ status: 'done', duplicateOf: copy.id });
    expect(second.id).not.toBe(copy.id);
    const listed = jsonOf<Array<{ id: string }>>(await runCli(['sessions', '--json'], { dataDir: other }));
    expect(listed.map((s) => s.id).sort()).toEqual([copy.id, second.id].sort());
  });
});

describe('cairn stop', () => {
  it('stops a session for good: resume is refused; fork and export still work', async () => {
    const chunksCp = (await timeline(id)).find((c) => c.kind === 'chunks')!;
    const fork = jsonOf<{ id: string }>(await cli('fork', id, '--from', chunksCp.id, '--json'));
    const stopped = await cli('stop', fork.id, '--json');
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(jsonOf(stopped)).toMatchObject({ status: 'stopped', reason: { code: 'stopped_for_good' } });
    const refused = await cli('resume', fork.id, '--json');
    expect(refused.code).toBe(2);
    expect(jsonOf(refused)).toMatchObject({ type: 'error', code: 'not_resumable' });
    expect((await show(fork.id)).status).toBe('stopped');
    expect((await cli('fork', fork.id, '--from', chunksCp.id, '--json')).code).toBe(0);
    expect((await cli('export', fork.id, '--format', 'md', '--out', join(root, 'stopped.md'))).code).toBe(0);
    // A finished session has nothing to stop.
    expect((await cli('stop', id)).code).toBe(2);
  });
});
