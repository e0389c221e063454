// Faults at write, commit and backup. Real file-system conditions, not mocks:
// - disk full: a child process under a small RLIMIT_FSIZE (portable, no root),
//   and, when this process may mount (root), a tiny tmpfs that truly runs out of space;
// - read-only: a tmpfs remounted read-only when root, else chmod 555 (root ignores
//   mode bits, so chmod cannot be used as root);
// - permission denied: `chattr +i` (immutable: refused even to root) when root, else chmod.
// Linux refuses to remount a file system read-only while a file on it is open
// for writing (EBUSY), so "read-only" is exercised at open and at backup time.
import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { StoreError } from '../../electron/store/errors.ts';
import { CHILDREN, cleanupTempDirs, config, NODE, openStore, tempDir, usage } from './helpers.ts';

const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];
const immutable: string[] = [];

afterEach(() => {
  for (const f of immutable.splice(0)) spawnSync('chattr', ['-i', f]);
  for (const m of mounts.splice(0).reverse()) spawnSync('umount', [m]);
  cleanupTempDirs();
});

function canMount(): boolean {
  if (!isRoot) return false;
  const probe = tempDir('probe');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
  if (r.status !== 0) return false;
  spawnSync('umount', [probe]);
  return true;
}
const MOUNT = canMount();

function tmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounts.push(dir);
}

function makeReadOnly(dir: string): () => void {
  if (MOUNT) {
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    return () => execFileSync('mount', ['-o', 'remount,rw', dir]);
  }
  fs.chmodSync(dir, 0o555);
  return () => fs.chmodSync(dir, 0o755);
}

function denyWrites(target: string): () => void {
  if (isRoot) {
    execFileSync('chattr', ['+i', target]);
    immutable.push(target);
    return () => {
      execFileSync('chattr', ['-i', target]);
      immutable.splice(immutable.indexOf(target), 1);
    };
  }
  const mode = fs.statSync(target).mode & 0o777;
  fs.chmodSync(target, 0o500);
  return () => fs.chmodSync(target, mode);
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof StoreError ? err.code : `untyped: ${String(err)}`;
  }
  return 'no error';
}

function dataDirFor(label: string): string {
  const dir = tempDir(label);
  if (MOUNT) tmpfs(dir, '16m');
  return dir;
}

describe('disk full', () => {
  for (const mode of ['write', 'commit', 'backup'] as const) {
    it(`at ${mode} under a file-size limit: typed error, nothing committed lost, work continues after`, () => {
      const dataDir = tempDir(`fsize-${mode}`);
      const seed = openStore(dataDir);
      const s = seed.createSession({ name: 'full', config });
      // a backup must outgrow the limit, the live WAL must not (random text: the store deflates what compresses)
      seed.appendCheckpoint(s.id, { kind: 'session', output: randomBytes(mode === 'backup' ? 180_000 : 15_000).toString('base64') });
      seed.close();
      const limitKb = mode === 'backup' ? 120 : 400;
      const run = spawnSync('bash', ['-c', `ulimit -S -f ${limitKb} && exec "$0" "$@"`, NODE, path.join(CHILDREN, 'fsize-child.ts'), dataDir, mode], { encoding: 'utf8', timeout: 20_000 });
      const lines = run.stdout.split('\n').filter(Boolean);
      const err = lines.find((l) => l.startsWith('ERR'));
      expect(err, run.stderr).toBeDefined();
      expect(['ERR disk_full', 'ERR io_error']).toContain(err);
      expect(lines).toContain('READ ok');
      const store = openStore(dataDir);
      for (const l of lines.filter((x) => x.startsWith('C '))) expect(store.getCheckpoint(l.slice(2)).id).toBe(l.slice(2));
      for (const l of lines.filter((x) => x.startsWith('P '))) expect(store.partial(s.id, l.slice(2))?.parts).toBe(1);
      expect(store.verify().ok).toBe(true);
      const backupsDir = path.join(dataDir, 'backups');
      if (fs.existsSync(backupsDir)) expect(fs.readdirSync(backupsDir).some((f) => f.endsWith('.partial'))).toBe(false);
      store.completeStep(s.id, { stepKey: 'after', attempt: 0, kind: 'map', memoKey: 'after', usage: usage(), output: 'fine' });
      return store.createBackup().then((b) => {
        expect(b.verified).toBe('ok');
        store.close();
      });
    }, 40_000);
  }

  it.runIf(MOUNT)('on a full tmpfs at write, commit and backup: disk_full, then continues when space is freed', async () => {
    const dataDir = tempDir('tmpfs-full');
    tmpfs(dataDir, '3m');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'full', config });
    const kept = store.appendCheckpoint(s.id, { kind: 'session', output: 'kept' });
    const filler = path.join(dataDir, 'filler');
    const fill = (): void => {
      try {
        fs.writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024));
      } catch {
        // ENOSPC is the point
      }
    };
    fill();
    const big = 'y'.repeat(600_000);
    expect(codeOf(() => store.appendStreamPart(s.id, 'w', 0, big))).toBe('disk_full');
    // a small part goes to the stream log, which cannot grow either
    expect(codeOf(() => store.appendStreamPart(s.id, 'small', 0, 'z'.repeat(5_000)))).toBe('disk_full');
    expect(store.partial(s.id, 'small')).toBeNull();
    expect(codeOf(() => store.completeStep(s.id, { stepKey: 'c', attempt: 0, kind: 'map', memoKey: 'c', usage: usage(), output: big }))).toBe('disk_full');
    await expect(store.createBackup()).rejects.toMatchObject({ code: 'disk_full' });
    expect(store.getSession(s.id).headId).toBe(kept.id);
    fs.rmSync(filler);
    store.appendStreamPart(s.id, 'small', 0, 'fits now');
    expect(store.partial(s.id, 'small')).toMatchObject({ text: 'fits now', parts: 1 });
    store.appendStreamPart(s.id, 'w', 0, big);
    store.completeStep(s.id, { stepKey: 'c', attempt: 0, kind: 'map', memoKey: 'c', usage: usage(), output: 'done' });
    expect((await store.createBackup()).verified).toBe('ok');
    expect(store.verify().ok).toBe(true);
    store.close();
  });
});

describe('read-only directory', () => {
  it('at open: opened for reading only, writes refused as read_only, the data untouched and writable again once the folder is', () => {
    const dataDir = dataDirFor('ro-open');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'ro', config });
    store.close();
    const before = fs.readFileSync(path.join(dataDir, 'cairn.db'));
    const restore = makeReadOnly(dataDir);
    const ro = CheckpointStore.open({ dataDir });
    try {
      // As root without a mount, chmod does not stop root: the store opens for writing as usual.
      const expected = isRoot && !MOUNT ? 'no error' : MOUNT ? 'read_only' : 'permission_denied';
      expect(ro.readOnly?.code ?? 'no error').toBe(expected);
      expect(ro.getSession(s.id).name).toBe('ro');
      expect(ro.verify().ok).toBe(true);
      if (ro.readOnly) {
        expect(codeOf(() => ro.createSession({ name: 'refused', config }))).toBe(expected);
        expect(() => ro.acquireLease(s.id, 'test-owner')).toThrow(/for reading only.*Taking the session lease needs to write there/s);
        expect(ro.recoverInterrupted()).toEqual([]);
      }
    } finally {
      ro.close();
    }
    expect(fs.readFileSync(path.join(dataDir, 'cairn.db')).equals(before)).toBe(true);
    restore();
    const again = openStore(dataDir);
    expect(again.getSession(s.id).name).toBe('ro');
    again.close();
  });

  it('at backup: read_only, the store keeps working, backups resume once writable', async () => {
    const dataDir = tempDir('ro-backup');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'ro', config });
    const backups = path.join(dataDir, 'backups');
    fs.mkdirSync(backups);
    if (MOUNT) tmpfs(backups, '4m');
    const restore = makeReadOnly(backups);
    await expect(store.createBackup()).rejects.toMatchObject({ code: MOUNT ? 'read_only' : 'permission_denied' });
    await expect(store.restoreBackup('nothing-here', 'replace')).rejects.toBeInstanceOf(StoreError);
    expect(codeOf(() => store.rollback(s.id, store.appendCheckpoint(s.id, { kind: 'session' }).id))).toBe(MOUNT ? 'read_only' : 'permission_denied');
    store.appendCheckpoint(s.id, { kind: 'note' });
    restore();
    expect((await store.createBackup()).verified).toBe('ok');
    expect(store.verify().ok).toBe(true);
    store.close();
  });
});

describe('permission denied', () => {
  it('at write and commit (the WAL made unwritable under the open store): permission_denied, consistent, continues', () => {
    const dataDir = tempDir('perm');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'perm', config });
    const kept = store.appendCheckpoint(s.id, { kind: 'session', output: 'kept' });
    const wal = path.join(dataDir, 'cairn.db-wal');
    const restore = denyWrites(wal);
    // a part above the move threshold (1 MiB) is committed to the database directly
    expect(codeOf(() => store.appendStreamPart(s.id, 'w', 0, 'z'.repeat(1_100_000)))).toBe('permission_denied');
    expect(codeOf(() => store.completeStep(s.id, { stepKey: 'c', attempt: 0, kind: 'map', memoKey: 'p', usage: usage(), output: 'z'.repeat(100_000) }))).toBe('permission_denied');
    restore();
    expect(store.getSession(s.id).headId).toBe(kept.id);
    expect(store.partial(s.id, 'w')).toBeNull();
    store.completeStep(s.id, { stepKey: 'c', attempt: 0, kind: 'map', memoKey: 'p', usage: usage(), output: 'ok' });
    expect(store.verify().ok).toBe(true);
    store.close();
  });

  // A writer's open descriptor ignores a chmod; only the immutable flag (root) refuses writes through it.
  it.runIf(isRoot)('at write to the stream log (the log made immutable): permission_denied, the parts before it kept, continues', () => {
    const dataDir = tempDir('perm-log');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'perm', config });
    store.appendStreamPart(s.id, 'w', 0, 'before ');
    const restore = denyWrites(path.join(dataDir, 'streams', `${s.id}.log`));
    expect(codeOf(() => store.appendStreamPart(s.id, 'w', 0, 'refused'))).toBe('permission_denied');
    expect(store.partial(s.id, 'w')).toMatchObject({ text: 'before ', parts: 1 });
    restore();
    store.appendStreamPart(s.id, 'w', 0, 'after');
    expect(store.partial(s.id, 'w')).toMatchObject({ text: 'before after', parts: 2 });
    store.close();
    const again = openStore(dataDir);
    expect(again.partial(s.id, 'w')).toMatchObject({ text: 'before after', parts: 2 });
    again.close();
  });

  it('at backup (backups folder unwritable) and at open (database unwritable): permission_denied with a hint', async () => {
    const dataDir = tempDir('perm-backup');
    const store = openStore(dataDir);
    store.createSession({ name: 'perm', config });
    await store.createBackup();
    const restore = denyWrites(path.join(dataDir, 'backups'));
    const err = await store.createBackup().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('permission_denied');
    expect((err as StoreError).hint).toMatch(/read and write access/);
    restore();
    expect((await store.createBackup()).verified).toBe('ok');
    store.close();
    const restoreDb = denyWrites(path.join(dataDir, 'cairn.db'));
    // Opened for reading only; every write is refused with the reason and its hint.
    const ro = CheckpointStore.open({ dataDir });
    expect(ro.readOnly?.code).toBe('permission_denied');
    const refused = (() => {
      try {
        ro.createSession({ name: 'refused', config });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(refused).toBeInstanceOf(StoreError);
    expect(refused).toMatchObject({ code: 'permission_denied', hint: expect.stringMatching(/read and write access/) });
    ro.close();
    restoreDb();
    openStore(dataDir).close();
  });
});
