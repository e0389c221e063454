// A session brought in from a file (import-session) or a backup (restore into
// new sessions) keeps the status it had: done stays done with no "needs your
// attention" reason, interrupted stays interrupted and resumable, a live run
// arrives interrupted. Importing the same file twice says so, and the caller
// chooses to skip it or keep both.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { cleanupTempDirs, config, openStore, tempDir } from './helpers.ts';

afterEach(() => cleanupTempDirs());

/** A session that ran to its report. */
function finished(store: CheckpointStore, name = 'Finished') {
  const s = store.createSession({ name, config });
  store.appendCheckpoint(s.id, { kind: 'session' });
  store.appendCheckpoint(s.id, { kind: 'map', stepKey: 'map:0', output: 'finding' });
  store.appendCheckpoint(s.id, { kind: 'report', stepKey: 'report:1', output: 'the report' });
  return store.updateSession(s.id, { status: 'done', reason: null, progress: { done: 2, total: 2, failed: 0, etaSeconds: 0 } });
}

function exported(store: CheckpointStore, id: string, name = 's.cairn.json'): string {
  const file = path.join(tempDir('import-status'), name);
  store.exportSession(id, file);
  return file;
}

describe('import keeps the status a session had', () => {
  it('done stays done with its progress and no reason', () => {
    const store = openStore();
    const s = finished(store);
    const { session } = store.importSession(exported(store, s.id), { onDuplicate: 'keep-both' });
    expect(session).toMatchObject({ status: 'done', reason: null, progress: { done: 2, total: 2 } });
    store.close();
  });

  it('interrupted stays interrupted (resumable, with its reason); a live run arrives interrupted', () => {
    const store = openStore();
    const a = store.createSession({ name: 'Cut', config });
    store.appendCheckpoint(a.id, { kind: 'session' });
    const reason = { code: 'interrupted', message: 'The process stopped.', hint: 'Press Resume.' };
    store.updateSession(a.id, { status: 'interrupted', reason });
    expect(store.importSession(exported(store, a.id), { onDuplicate: 'keep-both' }).session).toMatchObject({ status: 'interrupted', reason });

    const b = store.createSession({ name: 'Live', config });
    store.appendCheckpoint(b.id, { kind: 'session' });
    store.updateSession(b.id, { status: 'waiting', reason: { code: 'rate_limit', message: '429' }, retryAt: '2030-01-01T00:00:00.000Z' });
    expect(store.importSession(exported(store, b.id), { onDuplicate: 'keep-both' }).session).toMatchObject({ status: 'interrupted', retryAt: null, reason: { code: 'interrupted' } });
    store.close();
  });

  it('a file from before statuses were kept: done when its head holds the report', () => {
    const store = openStore();
    const s = finished(store);
    const file = exported(store, s.id);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete json.session.status;
    delete json.session.reason;
    delete json.session.retryAt;
    fs.writeFileSync(file, JSON.stringify(json));
    expect(store.importSession(file, { onDuplicate: 'keep-both' }).session).toMatchObject({ status: 'done', reason: null });
    store.close();
  });

  it('restore into new sessions keeps done and interrupted', async () => {
    const store = openStore();
    const done = finished(store);
    const cut = store.createSession({ name: 'Cut', config });
    store.appendCheckpoint(cut.id, { kind: 'session' });
    store.updateSession(cut.id, { status: 'interrupted', reason: { code: 'interrupted', message: 'The process stopped.' } });
    const backup = await store.createBackup({ reason: 'test' });
    const r = await store.restoreBackup(backup.id, 'new-session');
    const restored = r.restoredSessions.map((id) => store.getSession(id));
    expect(restored.map((s) => [s.name, s.status, s.reason?.code ?? null]).sort()).toEqual([
      ['Cut (restored)', 'interrupted', 'interrupted'],
      ['Finished (restored)', 'done', null],
    ]);
    expect(done.status).toBe('done');
    store.close();
  });
});

describe('importing the same file twice', () => {
  it('is refused with a reason that names the copy already here; skip returns it; keep-both makes a second copy', () => {
    const source = openStore();
    const s = finished(source);
    const file = exported(source, s.id);
    source.close();

    const store = openStore();
    const first = store.importSession(file);
    expect(first).toMatchObject({ skipped: false, duplicateOf: null });
    let refused: unknown;
    try {
      store.importSession(file);
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({ code: 'duplicate', params: { sessionId: first.session.id } });
    expect(String((refused as Error).message)).toContain(first.session.name);
    expect((refused as { hint?: string }).hint).toMatch(/keep both|skip/i);
    expect(store.listSessions().items).toHaveLength(1);

    const skipped = store.importSession(file, { onDuplicate: 'skip' });
    expect(skipped).toMatchObject({ skipped: true, duplicateOf: first.session.id, session: { id: first.session.id } });
    expect(store.listSessions().items).toHaveLength(1);

    const both = store.importSession(file, { onDuplicate: 'keep-both' });
    expect(both).toMatchObject({ skipped: false, duplicateOf: first.session.id });
    expect(both.session.id).not.toBe(first.session.id);
    expect(store.listSessions().items).toHaveLength(2);
    store.close();
  });

  it('a different session with the same steps at other times is not a duplicate', () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const store = openStore(tempDir('import-status'), () => new Date((clock += 1_000)));
    const a = finished(store, 'One');
    const b = finished(store, 'Two');
    store.importSession(exported(store, a.id, 'a.json'), { onDuplicate: 'keep-both' });
    // b's checkpoints were written at other moments: it is a copy of b (still here), not of a's copy.
    const other = store.importSession(exported(store, b.id, 'b.json'), { onDuplicate: 'keep-both' });
    expect(other.duplicateOf).toBe(b.id);
    store.close();
  });
});
