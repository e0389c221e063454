// exportSession writes where the user asked, not into the data directory: a
// failure names that path and what to do about it, and a file the user made
// read-only is refused, never replaced behind their back (temp + rename would).
//
// The read-only folder is a tmpfs mounted read-only when the tests run as root
// (root ignores mode bits, so a chmod would not stop it); otherwise chmod 555.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../electron/store/errors.ts';
import { cleanupTempDirs, config, openStore, tempDir } from './helpers.ts';

const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];
afterEach(() => {
  for (const m of mounts.splice(0)) spawnSync('umount', [m]);
  cleanupTempDirs();
});

function readOnlyFolder(): string {
  const dir = tempDir('export-ro');
  if (isRoot) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', dir]);
    mounts.push(dir);
  } else {
    fs.chmodSync(dir, 0o555);
  }
  return dir;
}

function failure(fn: () => void): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected the export to fail');
}

describe('exporting a session to a file', () => {
  it('into a read-only folder: names the output path and the fix, not the data directory', () => {
    const dataDir = tempDir('export-data');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'out', config });
    const out = path.join(readOnlyFolder(), 's.json');
    const e = failure(() => store.exportSession(s.id, out));
    expect(e.message).toContain(out);
    expect(e.message).not.toContain(dataDir);
    expect(e.message).toMatch(/read-only|permission/i);
    expect(e.hint).toMatch(/another folder|writable/);
    expect(e.hint).not.toMatch(/data directory/);
    store.close();
  });

  it('into a missing folder: says which folder is missing', () => {
    const dataDir = tempDir('export-data');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'out', config });
    const folder = path.join(tempDir('export-parent'), 'not-there');
    const out = path.join(folder, 's.json');
    const e = failure(() => store.exportSession(s.id, out));
    expect(e.message).toContain(`The folder ${folder} does not exist`);
    expect(e.message).not.toContain(dataDir);
    expect(e.hint).toMatch(/Create the folder|another/);
    expect(fs.existsSync(folder)).toBe(false);
    store.close();
  });

  it('onto a read-only file: refused, and the file is left byte for byte', () => {
    const dataDir = tempDir('export-data');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'out', config });
    const out = path.join(tempDir('export-file'), 's.json');
    fs.writeFileSync(out, 'the user keeps this\n');
    fs.chmodSync(out, 0o444);
    const e = failure(() => store.exportSession(s.id, out));
    expect(e.message).toContain(out);
    expect(e.message).toMatch(/read-only/);
    expect(fs.readFileSync(out, 'utf8')).toBe('the user keeps this\n');
    expect(fs.readdirSync(path.dirname(out))).toEqual(['s.json']);
    // A writable file is replaced as before.
    fs.chmodSync(out, 0o644);
    store.exportSession(s.id, out);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toHaveProperty('session');
    store.close();
  });
});
