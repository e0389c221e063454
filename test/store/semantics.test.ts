import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { newestVerifiedBackup } from '../../electron/store/backup-files.ts';
import { StoreError } from '../../electron/store/errors.ts';
import { SCHEMA_VERSION } from '../../electron/store/schema.ts';
import { cleanupTempDirs, config, openStore, tempDir, usage } from './helpers.ts';

afterEach(cleanupTempDirs);

describe('sessions', () => {
  it('orders by last activity even when writes share a millisecond', () => {
    const frozen = new Date('2026-11-27T12:00:00.000Z');
    const store = CheckpointStore.open({ dataDir: tempDir(), now: () => frozen });
    const a = store.createSession({ name: 'A', config }).id;
    store.createSession({ name: 'B', config });
    store.updateSession(a, { name: 'A renamed' });
    expect(store.listSessions({ limit: 5 }).items.map((s) => s.name)).toEqual(['A renamed', 'B']);
    store.close();
  });

  it('creates, lists by last activity with opaque cursors, filters, renames, archives and trashes', () => {
    const store = openStore();
    const ids = Array.from({ length: 5 }, (_, i) => store.createSession({ name: `S${i}`, config }).id);
    store.updateSession(ids[1] as string, { name: 'renamed', status: 'running' });
    const first = store.listSessions({ limit: 2 });
    expect(first.items.map((s) => s.name)).toEqual(['renamed', 'S4']);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = store.listSessions({ limit: 2, cursor: first.nextCursor as string });
    const third = store.listSessions({ limit: 2, cursor: second.nextCursor as string });
    expect([...second.items, ...third.items].map((s) => s.name)).toEqual(['S3', 'S2', 'S0']);
    expect(third.nextCursor).toBeNull();
    expect(store.listSessions({ status: 'running' }).items.map((s) => s.id)).toEqual([ids[1]]);
    store.archiveSession(ids[0] as string);
    store.deleteSession(ids[2] as string);
    expect(store.listSessions().items).toHaveLength(3);
    expect(store.listSessions({ includeArchived: true, includeTrashed: true }).items).toHaveLength(5);
    expect(store.restoreSession(ids[2] as string).trashed).toBe(false);
    expect(() => store.listSessions({ cursor: 'not-a-cursor' })).toThrow(StoreError);
    store.close();
  });
});

describe('rollback, undo, fork and memo', () => {
  it('rolls back without deleting, records it, undoes it, and takes a backup first', () => {
    const store = openStore();
    const s = store.createSession({ name: 'A', config });
    const root = store.appendCheckpoint(s.id, { kind: 'session' });
    const c1 = store.completeStep(s.id, { stepKey: 'map:1', attempt: 0, kind: 'map', memoKey: 'm1', usage: usage(), output: 'one' });
    const c2 = store.completeStep(s.id, { stepKey: 'map:2', attempt: 0, kind: 'map', memoKey: 'm2', usage: usage(), output: 'two' });
    const rb = store.rollback(s.id, root.id);
    expect(rb.hidden).toBe(2);
    expect(rb.session.headId).toBe(root.id);
    expect(rb.backupId).not.toBeNull();
    expect(store.listBackups().map((b) => b.reason)).toContain('before-rollback');
    expect(store.getCheckpoint(c2.id).id).toBe(c2.id);
    expect(store.timeline(s.id).total).toBe(3);
    // memo hits survive the rollback
    expect(store.memoGet('m2')?.output).toBe('two');
    const moves = store.database.prepare('SELECT kind FROM head_moves WHERE session_id = ?').pluck().all(s.id);
    expect(moves).toEqual(['rollback']);
    expect(store.undoRollback(s.id).headId).toBe(c2.id);
    expect(() => store.undoRollback(s.id)).toThrow(/no rollback to undo/);
    expect(store.headPath(s.id).map((c) => c.id)).toEqual([root.id, c1.id, c2.id]);
    store.close();
  });

  it('a branch after rollback keeps the old branch on the timeline, off the head path', () => {
    const store = openStore();
    const s = store.createSession({ name: 'A', config });
    const root = store.appendCheckpoint(s.id, { kind: 'session' });
    const old = store.appendCheckpoint(s.id, { kind: 'note', output: 'old' });
    store.rollback(s.id, root.id);
    const fresh = store.appendCheckpoint(s.id, { kind: 'note', output: 'new' });
    const rows = store.timeline(s.id).items;
    expect(rows.map((r) => [r.checkpoint.id, r.onHeadPath, r.isHead])).toEqual([
      [fresh.id, true, true], [old.id, false, false], [root.id, true, false],
    ]);
    expect(rows.every((r) => r.integrity === 'ok')).toBe(true);
    store.close();
  });

  it('forks from any checkpoint with a replaced config and shares memo hits', () => {
    const store = openStore();
    const s = store.createSession({ name: 'A', config });
    const root = store.appendCheckpoint(s.id, { kind: 'session' });
    const c1 = store.completeStep(s.id, { stepKey: 'map:1', attempt: 0, kind: 'map', memoKey: 'shared', usage: usage(), output: 'x' });
    store.appendCheckpoint(s.id, { kind: 'note' });
    const fork = store.fork(s.id, c1.id, { name: 'B', config: { ...config, task: 'Other task' } });
    expect(fork.forkOf).toEqual({ sessionId: s.id, checkpointId: c1.id });
    expect(fork.config.task).toBe('Other task');
    expect(store.headPath(fork.id).map((c) => c.id).slice(0, 2)).toEqual([root.id, c1.id]);
    expect(store.memoGet('shared')?.checkpointId).toBe(c1.id);
    store.completeStep(fork.id, { stepKey: 'map:9', attempt: 0, kind: 'map', memoKey: 'forked', usage: usage(), output: 'y' });
    expect(store.memoGet('forked')?.output).toBe('y');
    expect(store.verify().ok).toBe(true);
    expect(() => store.rollback(fork.id, c1.id)).toThrow(/another session/);
    store.close();
  });

  it('emptying the trash never removes what a fork, a head or a memo entry needs', () => {
    const store = openStore();
    const a = store.createSession({ name: 'A', config });
    const aRoot = store.appendCheckpoint(a.id, { kind: 'session' });
    const b = store.createSession({ name: 'B', config });
    store.appendCheckpoint(b.id, { kind: 'session' });
    store.completeStep(b.id, { stepKey: 's', attempt: 0, kind: 'map', memoKey: 'b-memo', usage: usage(7, 9, 0.1 + 0.2), state: { chunk: 3, note: 'é' }, output: 'kept by memo' });
    const hit = store.memoGet('b-memo');
    expect(hit).toMatchObject({ kind: 'map', state: { chunk: 3, note: 'é' }, usage: usage(7, 9, 0.1 + 0.2), output: 'kept by memo' });
    const fork = store.fork(a.id, aRoot.id);
    store.deleteSession(a.id);
    store.deleteSession(b.id);
    expect(store.emptyTrash()).toBe(1); // B purged; A is the fork's history
    expect(store.getCheckpoint(aRoot.id).id).toBe(aRoot.id);
    expect(store.headPath(fork.id)[0]?.id).toBe(aRoot.id);
    expect(() => store.getSession(b.id)).toThrow(/no session/);
    // The entry read its kind, state and usage from B's checkpoint; it keeps a copy of them now that it is gone.
    expect(store.memoGet('b-memo')).toEqual(hit);
    expect(store.verify().ok).toBe(true);
    store.close();
  });
});

describe('streaming', () => {
  it('appends parts, returns the newest attempt as partial, folds them on completion', () => {
    const store = openStore();
    const s = store.createSession({ name: 'A', config });
    store.appendStreamPart(s.id, 'map:1', 0, 'lost ');
    store.appendStreamPart(s.id, 'map:1', 1, 'Hello, ');
    store.appendStreamPart(s.id, 'map:1', 1, 'world');
    expect(store.partial(s.id, 'map:1')).toMatchObject({ attempt: 1, text: 'Hello, world', parts: 2 });
    const cp = store.completeStep(s.id, { stepKey: 'map:1', attempt: 1, kind: 'map', memoKey: 'k', usage: usage(), state: { chunk: 1 } });
    expect(store.getBlob(cp.outputHash as string)).toBe('Hello, world');
    expect(store.partial(s.id, 'map:1')).toBeNull();
    expect(store.getSession(s.id).usage.outputTokens).toBe(20);
    expect(store.getSession(s.id).headId).toBe(cp.id);
    store.close();
  });
});

describe('export, import and backups', () => {
  it('exports a forked session to one file and imports it as a new verified session', () => {
    const store = openStore();
    const a = store.createSession({ name: 'A', config });
    const root = store.appendCheckpoint(a.id, { kind: 'session' });
    const fork = store.fork(a.id, root.id, { name: 'F' });
    store.appendCheckpoint(fork.id, { kind: 'note', output: 'text' });
    const file = path.join(tempDir('export'), 'f.cairn.json');
    store.exportSession(fork.id, file);
    // The session is still here, so its file is a duplicate: keep both.
    const imported = store.importSession(file, { onDuplicate: 'keep-both' }).session;
    expect(imported.name).toBe('F (imported)');
    const pathOut = store.headPath(imported.id);
    expect(pathOut.map((c) => c.kind)).toEqual(['session', 'fork', 'note']);
    expect(pathOut.every((c) => c.sessionId === imported.id)).toBe(true);
    expect(store.getBlob(pathOut[2]?.outputHash as string)).toBe('text');
    expect(store.verify().ok).toBe(true);
    // a tampered file is refused
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.checkpoints[1].state = { forged: true };
    fs.writeFileSync(file, JSON.stringify(json));
    expect(() => store.importSession(file)).toThrow(/does not match its hash/);
    fs.writeFileSync(file, '{"format":"something else"}');
    expect(() => store.importSession(file)).toThrow(/not a valid Cairn session file/);
    store.close();
  });

  it('exports and imports a session that has no checkpoints yet', () => {
    const store = openStore();
    const a = store.createSession({ name: 'Not started', config });
    const file = path.join(tempDir('export'), 'empty.cairn.json');
    store.exportSession(a.id, file);
    const imported = store.importSession(file, { onDuplicate: 'keep-both' }).session;
    expect(imported.name).toBe('Not started (imported)');
    expect(store.headPath(imported.id)).toEqual([]);
    store.close();
  });

  it('backs up while writing, verifies, restores by replacement (after a safety backup) and as a new session', async () => {
    const dataDir = tempDir();
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'A', config });
    store.appendCheckpoint(s.id, { kind: 'session' });
    const pending = store.createBackup({ reason: 'test' });
    // writes continue while the online backup runs
    store.appendCheckpoint(s.id, { kind: 'note', output: 'after backup started' });
    const backup = await pending;
    expect(backup).toMatchObject({ verified: 'ok', reason: 'test', appVersion: '0.1.0-test', schemaVersion: SCHEMA_VERSION });
    expect(store.verifyBackup(backup.id).verified).toBe('ok');
    const later = store.createSession({ name: 'later', config });
    const asNew = await store.restoreBackup(backup.id, 'new-session', s.id);
    expect(asNew.restoredSessions).toHaveLength(1);
    expect(store.getSession(asNew.restoredSessions[0] as string).name).toBe('A (restored)');
    // without a session: every session in the backup comes back, which recovers a deleted one
    store.deleteSession(s.id);
    store.emptyTrash();
    const all = await store.restoreBackup(backup.id, 'new-session');
    expect(all.restoredSessions.map((id) => store.getSession(id).name)).toEqual(['A (restored)']);
    const replaced = await store.restoreBackup(backup.id, 'replace');
    expect(replaced.safetyBackupId).not.toBeNull();
    expect(() => store.getSession(later.id)).toThrow(/no session/);
    expect(store.getSession(s.id).name).toBe('A');
    expect(store.verify().ok).toBe(true);
    // the pre-restore state is itself a verified backup
    const safety = store.listBackups().find((b) => b.id === replaced.safetyBackupId);
    expect(safety?.reason).toBe('before-restore');
    expect(fs.readdirSync(dataDir).some((f) => f.startsWith('cairn.db.replaced-'))).toBe(true);
    store.close();
  });

  it('prunes by policy and never deletes the newest verified backup', async () => {
    const dataDir = tempDir();
    let clock = Date.parse('2025-01-01T10:00:00Z');
    const store = openStore(dataDir, () => new Date(clock));
    const made: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      made.push((await store.createBackup()).id);
      clock += 12 * 3_600_000; // two a day, over three days
    }
    // damage the newest: it can no longer be the newest verified one
    fs.writeFileSync(path.join(dataDir, 'backups', `${made[5]}.db`), 'garbage');
    expect(store.verifyBackup(made[5] as string).verified).toBe('failed');
    const removed = store.pruneBackups({ keepLast: 1, dailyDays: 2 });
    const left = store.listBackups().map((b) => b.id);
    expect(left).toContain(made[5]); // keepLast
    expect(left).toContain(made[4]); // newest verified
    expect(left).toContain(made[3]); // one for its day within 2 days
    expect(removed.sort()).toEqual([made[0], made[1], made[2]].sort());
    expect(store.pruneBackups({ keepLast: 0, dailyDays: 0 })).not.toContain(made[4]);
    store.close();
  });

  it('lists backups whose sidecar is damaged as unverified', async () => {
    const dataDir = tempDir();
    const store = openStore(dataDir);
    const b = await store.createBackup();
    fs.writeFileSync(path.join(dataDir, 'backups', `${b.id}.json`), '{"format":"cairn-backup","info":{"id":1}}');
    expect(store.listBackups()[0]).toMatchObject({ id: b.id, verified: 'unverified' });
    expect(newestVerifiedBackup(dataDir)).toBeNull();
    store.close();
  });
});
