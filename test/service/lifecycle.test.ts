// The session lifecycle through the service: after a rollback a session is what
// its head says (steps pending → resumable, no report) and Resume finishes it
// from the memo; a session restored into a new one keeps the status it had;
// Stop ends a session for good (not resumable, not auto-resumed, still forkable
// and exportable).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { SettingsSchema } from '../../shared/settings.ts';
import { createAppService } from '../../electron/service/app-service.ts';
import type { AppService } from '../../electron/service/types.ts';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { SIMULATOR_MODEL } from '../../shared/providers.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { sessionWaiter } from './helpers.ts';

const dirs: string[] = [];
let sim: Simulator;
const services: AppService[] = [];
beforeAll(async () => {
  sim = await startSimulator({ words: 30, tokensPerSecond: 0 });
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.shutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(async () => {
  await sim.close();
});

/** A service whose provider "Local" is a simulator in this process, so the test can count the requests it gets. */
async function setup(opts: { slow?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-lifecycle-'));
  dirs.push(dir);
  const doc = join(dir, 'contract.md');
  writeFileSync(doc, contractMarkdown(8));
  const service = await createAppService({ dataDir: join(dir, 'data'), runDeps: { retry: { baseMs: 5, capMs: 20 } } });
  services.push(service);
  const local = { name: 'Local', baseUrl: sim.baseURL, model: SIMULATOR_MODEL, headers: {}, keySource: { kind: 'none' as const }, simulator: false };
  service.configure({ settings: SettingsSchema.parse({ providers: [local], defaultProvider: 'Local' }), keys: {} });
  sim.configure({ tokensPerSecond: opts.slow ? 80 : 0 });
  const until = sessionWaiter(service);
  const create = (start = true) => service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Local', documents: [doc], chunkTokens: 300, concurrency: 2, start });
  return { dir, doc, service, until, create };
}

describe('after a rollback the session is what its head says', () => {
  test('rolled back to the chunks: paused with steps pending, no report, Resume offered; resume finishes from the memo with 0 requests', async () => {
    const { service, until, create } = await setup();
    const s = await create();
    const done = await until((x) => x.status === 'done', s.id);
    const report = (await service.handle('sessions:detail', { id: s.id })).report;
    expect(report).toBeTruthy();
    const chunksCp = (await service.handle('checkpoints:timeline', { sessionId: s.id, limit: 500 })).items.find((r) => r.checkpoint.kind === 'chunks')!.checkpoint;

    const rb = await service.handle('checkpoints:rollback', { sessionId: s.id, checkpointId: chunksCp.id });
    expect(rb.session.status).toBe('paused');
    expect(rb.session.reason?.code).toBe('rolled_back');
    const detail = await service.handle('sessions:detail', { id: s.id });
    expect(detail.session).toMatchObject({ status: 'paused', headId: chunksCp.id });
    expect(detail.report).toBeNull();
    expect(detail.chunks.every((c) => c.status === 'pending')).toBe(true);
    expect(detail.session.progress).toMatchObject({ done: 0, total: detail.chunks.length + 1 });

    const before = sim.log.completions().length;
    await service.handle('sessions:resume', { id: s.id });
    const again = await until((x) => x.status === 'done', s.id);
    expect(sim.log.completions().length - before, 'every step comes from the memo').toBe(0);
    expect((await service.handle('sessions:detail', { id: s.id })).report).toBe(report);
    expect(again.progress.done).toBe(again.progress.total);

    // Undo brings back the head with the report: done again.
    await service.handle('checkpoints:rollback', { sessionId: s.id, checkpointId: chunksCp.id });
    const undone = await service.handle('checkpoints:undoRollback', { sessionId: s.id });
    expect(undone.status).toBe('done');
    expect(undone.reason).toBeNull();
    expect(done.id).toBe(s.id);
  });
});

describe('restore into new sessions keeps the status a session had', () => {
  test('a done session comes back done with its report (not paused); a draft stays a draft', async () => {
    const { service, until, create } = await setup();
    const s = await create();
    await until((x) => x.status === 'done', s.id);
    const report = (await service.handle('sessions:detail', { id: s.id })).report;
    const draft = await create(false);
    const backup = await service.handle('backups:create', {});

    const restored = await service.handle('backups:restore', { id: backup.id, mode: 'new-session', sessionIds: [s.id] });
    const [copyId] = restored.restoredSessions;
    const copy = await service.handle('sessions:detail', { id: copyId! });
    expect(copy.session).toMatchObject({ status: 'done', reason: null });
    expect(copy.report).toBe(report);

    const draftCopy = await service.handle('backups:restore', { id: backup.id, mode: 'new-session', sessionIds: [draft.id] });
    expect((await service.handle('sessions:get', { id: draftCopy.restoredSessions[0]! })).status).toBe('created');
  });
});

describe('a backup lists its own sessions, and restores the chosen ones', () => {
  test('a session deleted after the backup is listed from the backup, marked gone, and comes back done with its report', async () => {
    const { service, until, create } = await setup();
    const kept = await create();
    await until((x) => x.status === 'done', kept.id);
    const lost = await create();
    await until((x) => x.status === 'done', lost.id);
    const lostDone = await service.handle('sessions:get', { id: lost.id });
    const report = (await service.handle('sessions:detail', { id: lost.id })).report;
    expect(report).toBeTruthy();
    const draft = await create(false);
    const backup = await service.handle('backups:create', {});

    // After the backup: one deleted for good (trash, then emptied), one moved to the trash, one made later.
    await service.handle('sessions:delete', { id: lost.id });
    await service.handle('sessions:emptyTrash', {});
    await service.handle('sessions:delete', { id: draft.id });
    const later = await create(false);
    await expect(service.handle('sessions:get', { id: lost.id })).rejects.toMatchObject({ code: 'not_found' });

    const { items } = await service.handle('backups:sessions', { id: backup.id });
    // What the backup holds, not what is here now: the later session is not in it, the deleted one is.
    expect(items.map((i) => i.id).sort()).toEqual([kept.id, lost.id, draft.id].sort());
    expect(items.map((i) => i.id)).not.toContain(later.id);
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(lost.id)).toMatchObject({ name: lostDone.name, status: 'done', now: 'gone', trashed: false, progress: { done: lostDone.progress.total, total: lostDone.progress.total }, updatedAt: lostDone.updatedAt });
    expect(byId.get(kept.id)).toMatchObject({ status: 'done', now: 'here' });
    expect(byId.get(draft.id)).toMatchObject({ status: 'created', now: 'trash' });

    const restored = await service.handle('backups:restore', { id: backup.id, mode: 'new-session', sessionIds: [lost.id] });
    expect(restored.restoredSessions).toHaveLength(1);
    const back = await service.handle('sessions:detail', { id: restored.restoredSessions[0]! });
    expect(back.session).toMatchObject({ status: 'done', reason: null, name: `${lostDone.name} (restored)` });
    expect(back.report).toBe(report);
    // Only the chosen one came back: the kept session is here once, with its restored copy nowhere.
    const names = (await service.handle('sessions:list', { limit: 100 })).items.map((s) => s.id);
    expect(names.sort()).toEqual([kept.id, later.id, back.session.id].sort());

    // Two chosen at once.
    const two = await service.handle('backups:restore', { id: backup.id, mode: 'new-session', sessionIds: [kept.id, draft.id] });
    const statuses = await Promise.all(two.restoredSessions.map(async (id) => (await service.handle('sessions:get', { id })).status));
    expect(statuses.sort()).toEqual(['created', 'done']);
    await expect(service.handle('backups:sessions', { id: 'no-such-backup' })).rejects.toMatchObject({ code: 'corrupt' });
  });
});

describe('importing the same session file twice', () => {
  test('the second import is answered duplicate (nothing imported); skip leaves it, keep-both adds a second copy; a done session arrives done', async () => {
    const a = await setup();
    const s = await a.create();
    await a.until((x) => x.status === 'done', s.id);
    const report = (await a.service.handle('sessions:detail', { id: s.id })).report;
    await a.service.shutdown();
    const file = join(a.dir, 'contract.cairn.json');
    const exporter = CheckpointStore.open({ dataDir: join(a.dir, 'data') });
    exporter.exportSession(s.id, file);
    exporter.close();

    const { service } = await setup();
    const first = await service.handle('sessions:import', { path: file, onDuplicate: 'refuse' });
    if (first.outcome !== 'imported') throw new Error(`first import: ${first.outcome}`);
    expect(first.session).toMatchObject({ status: 'done', reason: null });
    expect((await service.handle('sessions:detail', { id: first.session.id })).report).toBe(report);

    const again = await service.handle('sessions:import', { path: file, onDuplicate: 'refuse' });
    expect(again).toEqual({ outcome: 'duplicate', existing: { id: first.session.id, name: first.session.name } });
    expect((await service.handle('sessions:list', { limit: 10 })).items).toHaveLength(1);

    const skipped = await service.handle('sessions:import', { path: file, onDuplicate: 'skip' });
    expect(skipped).toMatchObject({ outcome: 'skipped', session: { id: first.session.id } });
    expect((await service.handle('sessions:list', { limit: 10 })).items).toHaveLength(1);

    const both = await service.handle('sessions:import', { path: file, onDuplicate: 'keep-both' });
    if (both.outcome !== 'imported') throw new Error(`keep both: ${both.outcome}`);
    expect(both.session.id).not.toBe(first.session.id);
    expect(both.session.status).toBe('done');
    expect((await service.handle('sessions:list', { limit: 10 })).items.map((x) => x.id).sort()).toEqual([first.session.id, both.session.id].sort());
    await expect(service.handle('sessions:import', { path: join(a.dir, 'contract.md'), onDuplicate: 'refuse' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('Stop ends a session for good', () => {
  test('stopped: not resumable, not resumed by Resume all, still forkable and exportable', async () => {
    const { service, until, create } = await setup({ slow: true });
    const s = await create();
    await until((x) => x.progress.done >= 1, s.id);
    const stopped = await service.handle('sessions:stop', { id: s.id });
    expect(stopped.status).toBe('stopped');
    expect(stopped.reason?.code).toBe('stopped_for_good');
    expect(service.running()).toEqual([]);

    await expect(service.handle('sessions:resume', { id: s.id })).rejects.toMatchObject({ code: 'not_resumable' });
    await expect(service.handle('sessions:start', { id: s.id })).rejects.toMatchObject({ code: 'not_resumable' });
    expect((await service.handle('sessions:resumeAll', {})).resumed).not.toContain(s.id);
    expect((await service.handle('sessions:get', { id: s.id })).status).toBe('stopped');

    const md = await service.handle('sessions:export', { id: s.id, format: 'md', save: false });
    expect(md.content.length).toBeGreaterThan(0);
    const chunksCp = (await service.handle('checkpoints:timeline', { sessionId: s.id, limit: 500 })).items.find((r) => r.checkpoint.kind === 'chunks')!.checkpoint;
    const fork = await service.handle('checkpoints:fork', { sessionId: s.id, checkpointId: chunksCp.id });
    sim.configure({ tokensPerSecond: 0 });
    await service.handle('sessions:start', { id: fork.id });
    await until((x) => x.status === 'done', fork.id);
  });

  test('a paused session can be stopped for good; a done one has nothing to stop', async () => {
    const { service, until, create } = await setup();
    const s = await create();
    await until((x) => x.status === 'done', s.id);
    await expect(service.handle('sessions:stop', { id: s.id })).rejects.toMatchObject({ code: 'conflict' });
    expect((await service.handle('sessions:get', { id: s.id })).status).toBe('done');
    const draft = await create(false);
    expect((await service.handle('sessions:stop', { id: draft.id })).status).toBe('stopped');
  });
});
