import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { KeyStore, type SafeStorageLike } from '../../electron/main/key-store.ts';
import { FileGrants } from '../../electron/main/file-grants.ts';
import { createMainHandlers } from '../../electron/main/main-handlers.ts';
import { SettingsStore } from '../../electron/main/settings-store.ts';
import Conf from 'conf';
import type { Settings } from '../../shared/settings.ts';

const SECRET = 'sk-live-THIS-MUST-NEVER-LEAK-4242';

/** A reversible cipher that is obviously not the plaintext: enough to check where bytes go. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    calls,
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (s) => (calls.push('encrypt'), Buffer.concat([Buffer.from('v11'), xor(Buffer.from(s, 'utf8'))])),
    decryptStringAsync: async (b) => (calls.push('decrypt'), { result: xor(b.subarray(3)).toString('utf8'), shouldReEncrypt: false }),
    getSelectedStorageBackend: () => backend,
  };
}

let dir: string;
let logs: string[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-keys-'));
  logs = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const keyFile = () => path.join(dir, 'keys.json');
const store = (safe: SafeStorageLike, platform: NodeJS.Platform = 'linux') => new KeyStore({ file: keyFile(), safeStorage: safe, platform, log: (l) => logs.push(l) });

function everyFileUnder(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('key store', () => {
  test('stores only ciphertext, and decrypts it for the engine', async () => {
    const safe = fakeSafeStorage('gnome_libsecret');
    const keys = store(safe);
    const status = await keys.set('Work', SECRET, 'https://api.example.com');
    expect(status).toEqual({ stored: ['Work'], encryptionAvailable: true, backend: 'gnome_libsecret' });
    const text = fs.readFileSync(keyFile(), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text)).toMatchObject({ version: 2, keys: { Work: { cipher: expect.any(String), origin: 'https://api.example.com' } } });
    if (process.platform !== 'win32') expect(fs.statSync(keyFile()).mode & 0o077).toBe(0);
    expect(await keys.decryptAll()).toEqual({ keys: { Work: { value: SECRET, origin: 'https://api.example.com' } }, headers: {}, failed: [] });
    await keys.delete('Work');
    expect((await keys.status()).stored).toEqual([]);
  });

  test('refuses the basic_text backend with a message that points to environment variables', async () => {
    const safe = fakeSafeStorage('basic_text');
    const keys = store(safe);
    await expect(keys.set('Work', SECRET, 'https://api.example.com')).rejects.toMatchObject({
      code: 'keystore_unavailable',
      message: expect.stringContaining('basic_text'),
      hint: expect.stringContaining('environment variable'),
    });
    expect(safe.calls).toEqual([]);
    expect(fs.existsSync(keyFile())).toBe(false);
    expect(await keys.status()).toEqual({ stored: [], encryptionAvailable: false, backend: 'basic_text' });
  });

  test('refuses when the OS encryption service is unavailable', async () => {
    const keys = store(fakeSafeStorage('unknown', false), 'darwin');
    await expect(keys.set('Work', SECRET, 'https://api.example.com')).rejects.toMatchObject({ code: 'keystore_unavailable', hint: expect.stringContaining('Settings → Providers') });
  });

  test('a key file from before origins were kept is read, its keys bound to no origin until the user confirms one', async () => {
    const safe = fakeSafeStorage('kwallet6');
    const cipher = (await safe.encryptStringAsync(SECRET)).toString('base64');
    fs.writeFileSync(keyFile(), JSON.stringify({ version: 1, keys: { Work: cipher } }));
    const keys = store(safe);
    expect(keys.originOf('Work')).toBeNull();
    expect((await keys.decryptAll()).keys).toEqual({ Work: { value: SECRET, origin: null } });
    expect(keys.warning).toBeNull();
  });

  test('a damaged key file is kept aside and reported, not overwritten', async () => {
    fs.writeFileSync(keyFile(), '{"version":1,"keys":{"Work":');
    const keys = store(fakeSafeStorage('kwallet6'));
    expect((await keys.status()).stored).toEqual([]);
    expect(keys.warning).toMatch(/could not be read/);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('keys.json.corrupt-'))).toBe(true);
  });

  test('the key never appears in an IPC payload, the settings file, the data folder or a log line', async () => {
    const settings = new SettingsStore({
      dir,
      createBackend: ({ cwd, name, defaults }) => new Conf<Settings>({ cwd, configName: name, defaults, clearInvalidConfig: false, watch: false, projectName: 'cairn-test' }),
      log: (l) => logs.push(l),
    });
    const keys = store(fakeSafeStorage('gnome_libsecret'));
    const toRenderer: unknown[] = [];
    const onKeysChanged = vi.fn();
    const handlers = createMainHandlers({
      settings,
      keys,
      log: (l) => logs.push(l),
      appInfo: () => ({ version: '0.1.0', platform: 'linux', dataDir: dir }),
      openExternal: async () => undefined,
      confirm: async () => false,
      pickDocuments: async () => [],
      files: new FileGrants(),
      writeClipboard: () => undefined,
      onSettingsChanged: (s) => toRenderer.push(s),
      onKeysChanged,
    });
    const call = async <T>(p: T | Promise<T>) => {
      const v = await p;
      toRenderer.push(v);
      return v;
    };
    const profile = { name: 'Work', baseUrl: 'https://api.example.com/v1', model: 'gpt-x', headers: {}, keySource: { kind: 'keystore' as const, profile: 'Work' }, simulator: false };
    await call(handlers['providers:save']({ profile }, null as never));
    await call(handlers['keys:set']({ profile: 'Work', key: SECRET }, null as never));
    await call(handlers['keys:status']({}, null as never));
    await call(handlers['settings:get']({}, null as never));
    await call(handlers['providers:list']({}, null as never));
    await call(handlers['app:info']({}, null as never));
    expect(onKeysChanged).toHaveBeenCalled();
    // What the engine gets is the only place the key appears.
    expect((await keys.decryptAll()).keys.Work?.value).toBe(SECRET);

    expect(JSON.stringify(toRenderer)).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(SECRET);
    for (const f of everyFileUnder(dir)) expect(fs.readFileSync(f, 'latin1'), f).not.toContain(SECRET);
    // Deleting the provider removes its stored key too.
    await call(handlers['providers:delete']({ name: 'Work' }, null as never));
    expect((await keys.status()).stored).toEqual([]);
  });
});
