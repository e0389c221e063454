// A compromised renderer must not be able to send a stored secret anywhere:
// each key and secret header is bound to the origin it was saved for, moving it
// is confirmed in main's own dialog, and the engine refuses to send it
// elsewhere (an imported session, a settings file edited by hand). Secret
// header values live in the key store only: never in config.json, settings:get,
// a session or an export. Checked against a local listener that records what
// it receives.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { KeyStore, type SafeStorageLike } from '../../electron/main/key-store.ts';
import { FileGrants } from '../../electron/main/file-grants.ts';
import { createMainHandlers, moveLegacySecrets, type MainHandlerDeps } from '../../electron/main/main-handlers.ts';
import { createAppService } from '../../electron/service/app-service.ts';
import { SettingsStore } from '../../electron/main/settings-store.ts';
import type { ProviderProfile } from '../../shared/domain.ts';
import type { Settings } from '../../shared/settings.ts';

const KEY = 'sk-fake-BOUND-KEY-0000';
const HEADER_SECRET = 'fake-azure-HEADER-SECRET-1111';

function fakeSafeStorage(): SafeStorageLike {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (s) => Buffer.concat([Buffer.from('v11'), xor(Buffer.from(s, 'utf8'))]),
    decryptStringAsync: async (b) => ({ result: xor(b.subarray(3)).toString('utf8'), shouldReEncrypt: false }),
    getSelectedStorageBackend: () => 'gnome_libsecret',
  };
}

/** An OpenAI-compatible /models endpoint that records every request's headers. */
async function listener() {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-x', object: 'model', created: 0, owned_by: 'test' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { seen, baseUrl: `http://127.0.0.1:${port}/v1`, origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let dir: string;
const cleanups: Array<() => Promise<void> | void> = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bound-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function setup(confirm: MainHandlerDeps['confirm']) {
  const configDir = path.join(dir, 'config');
  const settings = new SettingsStore({
    dir: configDir,
    createBackend: ({ cwd, name, defaults }) => new Conf<Settings>({ cwd, configName: name, defaults, clearInvalidConfig: false, watch: false, projectName: 'cairn-test' }),
  });
  const keys = new KeyStore({ file: path.join(configDir, 'keys.json'), safeStorage: fakeSafeStorage(), platform: 'linux' });
  const handlers = createMainHandlers({
    settings, keys, confirm,
    appInfo: () => ({ version: '0.1.0', platform: 'linux', dataDir: dir }),
    openExternal: async () => undefined,
    pickDocuments: async () => [],
    files: new FileGrants(),
    writeClipboard: () => undefined,
    onSettingsChanged: () => undefined,
    onKeysChanged: () => undefined,
  });
  const call = <T>(p: T | Promise<T>) => Promise.resolve(p);
  const service = await createAppService({ dataDir: path.join(dir, 'data') });
  cleanups.push(() => service.shutdown());
  /** What main hands the engine: the settings and the decrypted secrets. */
  const configureEngine = async (override?: Partial<Settings>) => {
    const { keys: k, headers } = await keys.decryptAll();
    service.configure({ settings: { ...settings.get(), ...override }, keys: k, headers });
  };
  return { settings, keys, handlers, call, service, configureEngine, configDir };
}

const work = (baseUrl: string, extra: Partial<ProviderProfile> = {}): ProviderProfile => ({
  name: 'Work', baseUrl, model: 'gpt-x', headers: {}, keySource: { kind: 'keystore', profile: 'Work' }, simulator: false, ...extra,
});

function everyFileUnder(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('stored keys go only where they were saved for', () => {
  test('a renderer that points a provider elsewhere gets a native confirmation in main; declined, the key is removed and never sent', async () => {
    const evil = await listener();
    cleanups.push(evil.close);
    const confirm = vi.fn<MainHandlerDeps['confirm']>(async () => false);
    const { handlers, call, keys, service, configureEngine } = await setup(confirm);
    await call(handlers['providers:save']({ profile: work('https://api.example.com/v1') }, null as never));
    await call(handlers['keys:set']({ profile: 'Work', key: KEY }, null as never));

    // What a compromised page can send: same profile, another base URL.
    await call(handlers['providers:save']({ profile: work(evil.baseUrl) }, null as never));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm.mock.calls[0]?.[0]).toMatchObject({ message: expect.stringContaining(evil.origin) });
    expect((await keys.status()).stored).toEqual([]);

    await configureEngine();
    await service.handle('providers:test', { name: 'Work' });
    expect(JSON.stringify(evil.seen)).not.toContain(KEY);
  });

  test('confirmed in main, the key moves to the new origin and is sent there', async () => {
    const moved = await listener();
    cleanups.push(moved.close);
    const confirm = vi.fn<MainHandlerDeps['confirm']>(async () => true);
    const { handlers, call, keys, service, configureEngine } = await setup(confirm);
    await call(handlers['providers:save']({ profile: work('https://api.example.com/v1') }, null as never));
    await call(handlers['keys:set']({ profile: 'Work', key: KEY }, null as never));
    await call(handlers['providers:save']({ profile: work(moved.baseUrl) }, null as never));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(keys.originOf('Work')).toBe(moved.origin);
    await configureEngine();
    const result = await service.handle('providers:test', { name: 'Work' });
    expect(result.ok).toBe(true);
    expect(moved.seen.some((h) => h.authorization === `Bearer ${KEY}`)).toBe(true);
  });

  test('saving the same origin again asks nothing; a key for a provider that is not saved is refused', async () => {
    const confirm = vi.fn<MainHandlerDeps['confirm']>(async () => true);
    const { handlers, call } = await setup(confirm);
    await expect(call(handlers['keys:set']({ profile: 'Work', key: KEY }, null as never))).rejects.toMatchObject({ code: 'no_provider' });
    await call(handlers['providers:save']({ profile: work('https://api.example.com/v1') }, null as never));
    await call(handlers['keys:set']({ profile: 'Work', key: KEY }, null as never));
    await call(handlers['providers:save']({ profile: work('https://api.example.com/v2', { model: 'gpt-y' }) }, null as never));
    expect(confirm).not.toHaveBeenCalled();
  });

  test('the engine refuses to send a key to an origin it was not saved for (a settings file or session pointing elsewhere)', async () => {
    const evil = await listener();
    cleanups.push(evil.close);
    const { handlers, call, service, configureEngine } = await setup(async () => false);
    await call(handlers['providers:save']({ profile: work('https://api.example.com/v1') }, null as never));
    await call(handlers['keys:set']({ profile: 'Work', key: KEY }, null as never));
    await configureEngine({ providers: [work(evil.baseUrl)] });
    const result = await service.handle('providers:test', { name: 'Work' });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('does not send it') });
    expect(JSON.stringify(evil.seen)).not.toContain(KEY);
  });
});

describe('secret headers', () => {
  test('a credential header goes to the key store, reaches its provider, and is in no settings, session, export or file', async () => {
    const azure = await listener();
    cleanups.push(azure.close);
    const { handlers, call, keys, service, configureEngine, configDir } = await setup(async () => false);
    const toRenderer: unknown[] = [];
    const profile = work(azure.baseUrl, { keySource: { kind: 'none' }, headers: { 'api-key': HEADER_SECRET, 'X-Title': 'Cairn' } });
    toRenderer.push(await call(handlers['providers:save']({ profile }, null as never)));
    toRenderer.push(await call(handlers['settings:get']({}, null as never)));
    const listed = await call(handlers['providers:list']({}, null as never));
    toRenderer.push(listed);
    const saved = listed.items.find((p) => p.name === 'Work');
    expect(saved).toMatchObject({ headers: { 'X-Title': 'Cairn' }, secretHeaders: ['api-key'] });
    expect(JSON.stringify(toRenderer)).not.toContain(HEADER_SECRET);
    for (const f of everyFileUnder(configDir)) expect(fs.readFileSync(f, 'latin1'), f).not.toContain(HEADER_SECRET);
    expect((await keys.decryptAll()).headers.Work?.['api-key']?.value).toBe(HEADER_SECRET);

    // Editing the provider without retyping the value keeps it.
    await call(handlers['providers:save']({ profile: { ...saved!, headers: { 'X-Title': 'Cairn 2' } } }, null as never));
    await configureEngine();
    expect((await service.handle('providers:test', { name: 'Work' })).ok).toBe(true);
    expect(azure.seen.at(-1)?.['api-key']).toBe(HEADER_SECRET);

    // A session on that provider, its export and the database keep the header's name only.
    const doc = path.join(dir, 'doc.md');
    fs.writeFileSync(doc, '# Terms\n\nThe supplier shall deliver by March.\n');
    const session = await service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Work', documents: [doc], start: false });
    expect(session.config.provider.secretHeaders).toEqual(['api-key']);
    const exported = await service.handle('sessions:export', { id: session.id, format: 'json', save: false });
    expect(JSON.stringify([session, exported])).not.toContain(HEADER_SECRET);
    await service.shutdown();
    for (const f of everyFileUnder(path.join(dir, 'data'))) expect(fs.readFileSync(f, 'latin1'), f).not.toContain(HEADER_SECRET);
  });
});

describe('secrets saved by an older Cairn', () => {
  test('credential headers leave config.json for the key store, and an old key is bound to the one address that uses it', async () => {
    const { settings, keys, configDir } = await setup(async () => false);
    settings.update({ providers: [work('https://gateway.example/v1', { headers: { 'x-api-key': HEADER_SECRET, 'X-Title': 'Cairn' } })] });
    const cipher = (await fakeSafeStorage().encryptStringAsync(KEY)).toString('base64');
    fs.writeFileSync(path.join(configDir, 'keys.json'), JSON.stringify({ version: 1, keys: { Work: cipher } }));
    expect(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')).toContain(HEADER_SECRET);

    await moveLegacySecrets({ settings, keys });
    expect(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')).not.toContain(HEADER_SECRET);
    expect(settings.get().providers[0]).toMatchObject({ headers: { 'X-Title': 'Cairn' }, secretHeaders: ['x-api-key'] });
    const secrets = await keys.decryptAll();
    expect(secrets.headers.Work?.['x-api-key']).toEqual({ value: HEADER_SECRET, origin: 'https://gateway.example' });
    expect(secrets.keys.Work).toEqual({ value: KEY, origin: 'https://gateway.example' });
  });
});

