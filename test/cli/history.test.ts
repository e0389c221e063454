// A finished session's history through the CLI: fork (same task = nothing
// requested; edited task = exactly the passages and the reduce), exports,
// timeline, rollback and its undo, verify, backups.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { SIMULATOR_MODEL } from '../../shared/providers.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { jsonOf, lastEvent, runCli, sessionIdOf, simArgs, tempDir, type CliResult } from './helpers.ts';

interface TimelineItem { id: string; kind: string; stepKey: string | null; isHead: boolean; onHeadPath: boolean }
interface Show { id: string; status: string; provider: { name: string; model: string; simulator: boolean }; report: string | null; headId: string; forkOf: { sessionId: string; checkpointId: string } | null; chunks: Array<{ status: string }>; progress: { done: number; total: number } }

let sim: Simulator;
let root: string;
let dir: string;
let cleanup: () => void;
let original: CliResult;
let id: string;
let report: string;

const cli = (...args: string[]) => runCli(args, { dataDir: dir });
const show = async (sessionId: string) => jsonOf<Show>(await cli('show', sessionId, '--json'));
const timeline = async (sessionId: string) => jsonOf<{ total: number; items: TimelineItem[] }>(await cli('timeline', sessionId, '--json')).items;

beforeAll(async () => {
  const t = tempDir('history');
  root = t.dir;
  cleanup = t.cleanup;
  dir = join(root, 'data');
  sim = await startSimulator({ words: 40 });
  const doc = join(root, 'contract.md');
  writeFileSync(doc, contractMarkdown(6));
  original = await runCli(['run', doc, '--task', 'Find every obligation', '--chunk-tokens', '300', '--concurrency', '3', ...simArgs(sim.baseURL), '--json'], { dataDir: dir });
  if (original.code !== 0) throw new Error(`the analysis failed: ${original.stderr}`);
  id = sessionIdOf(original);
  report = String(lastEvent(original).report);
});
afterAll(async () => {
  await sim.close();
  cleanup();
});

describe('cairn fork', () => {
  it('from the chunks checkpoint: same task requests nothing; an edited task requests exactly the passages and the reduce', async () => {
    const steps = original.events.filter((e) => e.type === 'step');
    const maps = steps.filter((e) => e.kind === 'map').length;
    const reduces = steps.filter((e) => e.kind === 'reduce').length;
    expect(maps).toBeGreaterThan(3);
    expect(sim.log.completions().length).toBe(maps + reduces);
    const chunksCp = (await timeline(id)).find((c) => c.kind === 'chunks');
    expect(chunksCp).toBeDefined();

    const same = jsonOf<{ id: string; forkOf: { sessionId: string; checkpointId: string } }>(await cli('fork', id, '--from', chunksCp!.id, '--json'));
    expect(same.forkOf).toEqual({ sessionId: id, checkpointId: chunksCp!.id });
    let before = sim.log.completions().length;
    const sameRun = await cli('resume', same.id, '--json');
    expect(sameRun.code, sameRun.stderr).toBe(0);
    expect(sim.log.completions().length, 'a fork with the same task is all memo hits').toBe(before);
    expect(lastEvent(sameRun)).toMatchObject({ type: 'done', requests: 0, memoHits: maps + reduces });
    expect((await show(same.id)).report).toBe(report);

    const edited = jsonOf<{ id: string }>(await cli('fork', id, '--from', chunksCp!.id, '--task', 'Find every deadline and the party that owes it', '--json'));
    before = sim.log.completions().length;
    const editedRun = await cli('resume', edited.id, '--json');
    expect(editedRun.code, editedRun.stderr).toBe(0);
    const asked = sim.log.completions().slice(before);
    expect(asked.length, 'every passage once and the reduce once').toBe(maps + reduces);
    expect(new Set(asked.map((e) => e.requestKey)).size).toBe(asked.length);
    const forked = await show(edited.id);
    expect(forked.status).toBe('done');
    expect(forked.report).not.toBe(report);
    // The original is untouched.
    const first = await show(id);
    expect(first.report).toBe(report);
    // A simulator given by URL is labelled as one (and keeps that URL: the forks' requests reached it).
    expect(first.provider).toEqual({ name: `127.0.0.1:${sim.port}`, model: SIMULATOR_MODEL, simulator: true });
  });
});

describe('export, timeline, rollback, verify, backups', () => {
  it('exports md, json and html (no scripts)', async () => {
    const out = (ext: string) => join(root, `report.${ext}`);
    const results = await Promise.all(['md', 'json', 'html'].map((f) => cli('export', id, '--format', f, '--out', out(f), '--json')));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(jsonOf(results[0]!)).toMatchObject({ id, format: 'md', out: out('md') });
    expect(readFileSync(out('md'), 'utf8')).toContain(report.split('\n')[1]!);
    const exported = JSON.parse(readFileSync(out('json'), 'utf8')) as { findings: unknown[]; checkpointId: string; usage: unknown; report: string };
    expect(exported.report).toBe(report);
    expect(exported.findings.length).toBeGreaterThan(3);
    expect(exported.checkpointId).toMatch(/^[0-9A-Z]{26}$/);
    expect(exported.usage).toBeTruthy();
    const html = readFileSync(out('html'), 'utf8');
    expect(html).toMatch(/<html/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Find every obligation');

    const bad = await cli('export', id, '--format', 'pdf', '--out', out('pdf'));
    expect(bad.code).toBe(2);
  });

  it('export-session writes a portable file another data directory imports with its report; a damaged file is refused', async () => {
    const file = join(root, 'session.cairn.json');
    expect((await cli('export-session', id, '--out', file)).code).toBe(0);
    const other = join(root, 'other-data');
    const imported = await runCli(['import-session', file, '--json'], { dataDir: other });
    expect(imported.code, imported.stderr).toBe(0);
    const copy = jsonOf<{ id: string }>(imported);
    const shown = jsonOf<Show>(await runCli(['show', copy.id, '--json'], { dataDir: other }));
    expect(shown.report).toBe(report);
    expect((await runCli(['verify', '--json'], { dataDir: other })).code).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"kind":"map"/, '"kind":"note"'));
    const refused = await runCli(['import-session', file], { dataDir: other });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/hash|not a valid/);
  });

  it('timeline, rollback --to, undo-rollback, verify and backup create|list|verify', async () => {
    const items = await timeline(id);
    const head = items.find((c) => c.isHead)!;
    expect(head.kind).toBe('report');
    const aMap = items.find((c) => c.kind === 'map')!;

    const rolled = jsonOf<{ headId: string; hidden: number; backupId: string | null }>(await cli('rollback', id, '--to', aMap.id, '--json'));
    expect(rolled.headId).toBe(aMap.id);
    expect(rolled.hidden).toBeGreaterThan(0);
    const afterRollback = await show(id);
    expect(afterRollback.headId).toBe(aMap.id);
    expect(afterRollback.report).toBeNull();
    const rolledTimeline = await timeline(id);
    expect(rolledTimeline.find((c) => c.isHead)?.id).toBe(aMap.id);
    expect(rolledTimeline.length, 'nothing is deleted').toBe(items.length);

    const undone = jsonOf<{ headId: string }>(await cli('undo-rollback', id, '--json'));
    expect(undone.headId).toBe(head.id);
    expect((await show(id)).report).toBe(report);

    const [all, one] = await Promise.all([cli('verify', '--json'), cli('verify', id, '--json')]);
    expect(all.code).toBe(0);
    expect(jsonOf(all)).toMatchObject({ ok: true, integrityCheck: 'ok' });
    expect(jsonOf<{ ok: boolean; checkedCheckpoints: number }>(one)).toMatchObject({ ok: true });

    const created = jsonOf<{ id: string; verified: string }>(await cli('backup', 'create', '--json'));
    expect(created.verified).toBe('ok');
    const listed = jsonOf<Array<{ id: string }>>(await cli('backup', 'list', '--json'));
    expect(listed.map((b) => b.id)).toContain(created.id);
    if (rolled.backupId) expect(listed.map((b) => b.id)).toContain(rolled.backupId);
    const checked = await cli('backup', 'verify', created.id, '--json');
    expect(checked.code).toBe(0);
    expect(jsonOf(checked)).toMatchObject({ id: created.id, verified: 'ok' });
    expect((await cli('backup', 'verify', '--json')).code).toBe(2);
  });

  it('ask answers a follow-up, streamed and checkpointed on the timeline', async () => {
    const before = (await timeline(id)).length;
    const r = await cli('ask', id, 'Which deadlines apply to the Supplier?', '--json');
    expect(r.code, r.stderr).toBe(0);
    const done = lastEvent(r);
    expect(done).toMatchObject({ type: 'done', simulator: true });
    expect(String(done.answer).length).toBeGreaterThan(0);
    expect(r.events.some((e) => e.type === 'delta')).toBe(true);
    const items = await timeline(id);
    expect(items.length).toBeGreaterThan(before);
    expect(items.find((c) => c.isHead)?.id).toBe(done.checkpointId);
  });
});
