import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { StoreError } from '../../electron/store/errors.ts';
import { cleanupTempDirs, config, openStore, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const hostile = ['../../etc/passwd', '/etc/passwd', 'C:\\Windows\\x', '01ARZ3NDEKTSV4RRFFQ69G5FA\0', 'A'.repeat(100_000), '', '01arz3ndektsv4rrffq69g5fav', '01ARZ3NDEKTSV4RRFFQ69G5FAU'.replace('U', 'U/')];

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err.code;
    return `untyped: ${String(err)}`;
  }
  return 'no error';
}

describe('bad ids and paths are refused', () => {
  it('refuses traversal, absolute paths, NUL bytes and very long ids everywhere an id enters', async () => {
    const store = openStore();
    const s = store.createSession({ name: 'A', config });
    for (const id of hostile) {
      expect(codeOf(() => store.getSession(id))).toBe('invalid_id');
      expect(codeOf(() => store.appendCheckpoint(id, { kind: 'note' }))).toBe('invalid_id');
      expect(codeOf(() => store.getCheckpoint(id))).toBe('invalid_id');
      expect(codeOf(() => store.rollback(s.id, id))).toBe('invalid_id');
      expect(codeOf(() => store.fork(id, id))).toBe('invalid_id');
      expect(codeOf(() => store.acquireLease(id, 'me'))).toBe('invalid_id');
      expect(codeOf(() => store.getBlob(id))).toBe('invalid_id');
    }
    for (const id of ['../cairn', '/etc/passwd', '..', '.hidden', 'a/b', 'a\\b', 'x\0', 'B'.repeat(201)]) {
      expect(codeOf(() => store.verifyBackup(id))).toBe('invalid_id');
      await expect(store.restoreBackup(id, 'replace')).rejects.toMatchObject({ code: 'invalid_id' });
    }
    expect(codeOf(() => store.verifyBackup('..'))).toBe('invalid_id');
    expect(codeOf(() => store.exportSession(s.id, 'x\0y'))).toBe('invalid_input');
    expect(codeOf(() => store.appendStreamPart(s.id, '', 0, 'x'))).toBe('invalid_input');
    expect(codeOf(() => store.appendStreamPart(s.id, 'k', -1, 'x'))).toBe('invalid_input');
    expect(codeOf(() => store.memoGet('has space'))).toBe('invalid_input');
    expect(codeOf(() => store.createSession({ name: '', config }))).toBe('invalid_input');
    expect(codeOf(() => store.appendCheckpoint(s.id, { kind: 'bogus' as 'note' }))).toBe('invalid_input');
    expect(codeOf(() => store.getSession('01ARZ3NDEKTSV4RRFFQ69G5FAV'))).toBe('not_found');
    expect(() => CheckpointStore.open({ dataDir: `${tempDir()}\0x` })).toThrow(/NUL/);
    store.close();
  });
});

describe('the data directory handed to the store', () => {
  it('is refused when empty, not a string, too long or holding a NUL byte, with a reason that says what to do', () => {
    for (const dataDir of ['', 42, null, 'x'.repeat(4_097), '/tmp/cairn\0data']) {
      expect(codeOf(() => CheckpointStore.open({ dataDir: dataDir as string }))).toBe('invalid_input');
    }
  });
});
