// Other users on the machine cannot read what Cairn keeps: on POSIX the data
// directory and its subfolders are 0700 and the database, its WAL, backups,
// stream logs, session exports and config.json are 0600, whatever the umask
// (the usual 022 would make them 0755 / 0644), in the app and the CLI alike.
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, test } from 'vitest';
import { SettingsStore } from '../../electron/main/settings-store.ts';
import type { Settings } from '../../shared/settings.ts';
import { cleanupTempDirs, config, openStore, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const onPosix = process.platform === 'win32' ? test.skip : test;

function everyEntry(root: string): Array<{ file: string; dir: boolean }> {
  return [{ file: root, dir: true }, ...fs.readdirSync(root, { recursive: true, withFileTypes: true }).map((e) => ({ file: path.join(e.parentPath, e.name), dir: e.isDirectory() }))];
}

describe('files only for their owner', () => {
  onPosix('the data directory, database, WAL, stream logs, backups and session exports', async () => {
    const previous = process.umask(0o022);
    try {
      const root = tempDir('private');
      const dataDir = path.join(root, 'data');
      const store = openStore(dataDir);
      const session = store.createSession({ name: 'Private', config });
      store.appendStreamPart(session.id, 'map:0', 1, 'some streamed text');
      await store.createBackup({ reason: 'manual' });
      const exported = path.join(dataDir, 'session.cairn.json');
      store.exportSession(session.id, exported);
      const entries = everyEntry(dataDir);
      expect(entries.some((e) => e.file.endsWith('cairn.db-wal'))).toBe(true);
      expect(entries.some((e) => e.file.includes(`${path.sep}streams${path.sep}`))).toBe(true);
      expect(entries.some((e) => e.file.includes(`${path.sep}backups${path.sep}`) && !e.dir)).toBe(true);
      store.close();
      for (const e of entries) {
        if (!fs.existsSync(e.file)) continue;
        expect([e.file, mode(e.file).toString(8)]).toEqual([e.file, (e.dir ? 0o700 : 0o600).toString(8)]);
      }
    } finally {
      process.umask(previous);
    }
  });

  onPosix('a data directory and database left 0755 / 0644 by an older Cairn are tightened on open', () => {
    const dataDir = path.join(tempDir('private'), 'data');
    openStore(dataDir).close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'cairn.db'), 0o644);
    openStore(dataDir).close();
    expect(mode(dataDir).toString(8)).toBe('700');
    expect(mode(path.join(dataDir, 'cairn.db')).toString(8)).toBe('600');
  });

  onPosix('the desktop config.json (conf would write it 0644)', () => {
    const previous = process.umask(0o022);
    try {
      const dir = path.join(tempDir('private'), 'config');
      const settings = new SettingsStore({
        dir,
        createBackend: ({ cwd, name, defaults }) => new Conf<Settings>({ cwd, configName: name, defaults, clearInvalidConfig: false, watch: false, projectName: 'cairn-test' }),
      });
      settings.update({ theme: 'dark' });
      expect(mode(dir).toString(8)).toBe('700');
      expect(mode(settings.file).toString(8)).toBe('600');
    } finally {
      process.umask(previous);
    }
  });
});
