// A write-ahead log with no database beside it is someone's data: the open moves it aside and says so,
// never initialises a new database over it (the race with a process creating the database is
// test/store/first-open.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { StoreError } from '../../electron/store/errors.ts';
import { cleanupTempDirs, openStore, tempDir } from './helpers.ts';

afterAll(cleanupTempDirs);

it('a WAL without its database is reported as damage and kept, byte for byte', () => {
  const dir = tempDir('orphan-wal');
  const wal = Buffer.from('a WAL whose database went missing'.repeat(40));
  fs.writeFileSync(path.join(dir, 'cairn.db-wal'), wal);
  let thrown: unknown = null;
  try {
    openStore(dir).close();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(StoreError);
  expect(thrown).toMatchObject({ code: 'corrupt' });
  expect((thrown as StoreError).message).toMatch(/write-ahead log exists without its database/);
  const kept = fs.readdirSync(dir).filter((f) => f.includes('-wal') && f !== 'cairn.db-wal');
  expect(kept.map((f) => fs.readFileSync(path.join(dir, f)).equals(wal))).toContain(true);
});
