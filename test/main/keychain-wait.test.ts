// A keychain prompt must not stall the engine. The engine starts without
// keys; simulator-only use never asks the keychain at all; the first provider
// that needs a stored key asks main for it, waits a bounded time, and says
// "waiting for the system keychain" instead of timing out every request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { EngineSecrets } from '../../electron/main/engine-secrets.ts';
import { EngineSupervisor, type EngineProcess } from '../../electron/main/engine-supervisor.ts';
import { KeyStore, type SafeStorageLike } from '../../electron/main/key-store.ts';
import { createAppService } from '../../electron/service/app-service.ts';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import type { FromEngine, ToEngine } from '../../electron/service/types.ts';
import { SettingsSchema } from '../../shared/settings.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { sessionWaiter } from '../service/helpers.ts';

const KEY = 'sk-fake-KEYCHAIN-2222';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A keychain whose prompt the user has not answered yet: decryption waits until `answer()`. */
function promptingSafeStorage() {
  const waiting: Array<() => void> = [];
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  const safe: SafeStorageLike = {
    isAsyncEncryptionAvailable: async () => true,
    encryptStringAsync: async (s) => xor(Buffer.from(s, 'utf8')),
    decryptStringAsync: (b) => new Promise((resolve) => waiting.push(() => resolve({ result: xor(b).toString('utf8'), shouldReEncrypt: false }))),
    getSelectedStorageBackend: () => 'gnome_libsecret',
  };
  return { safe, asked: () => waiting.length, answer: () => waiting.splice(0).forEach((f) => f()) };
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-keychain-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('the engine does not wait for the keychain', () => {
  test('main configures the engine at once, before the keychain answers', async () => {
    const dir = tempDir();
    const keychain = promptingSafeStorage();
    const keys = new KeyStore({ file: path.join(dir, 'keys.json'), safeStorage: keychain.safe, platform: 'linux' });
    await keys.set('Work', KEY, 'https://api.example.com');
    const onChange = vi.fn();
    const secrets = new EngineSecrets({ keys, onChange });
    // An engine that answers every request: the supervisor is ready as soon as it is configured.
    const sent: ToEngine[] = [];
    let listener: (m: unknown) => void = () => undefined;
    const proc: EngineProcess = {
      pid: 1,
      postMessage: (m) => {
        sent.push(m);
        if (m.type === 'request') queueMicrotask(() => listener({ type: 'response', id: m.id, ok: true, value: { items: [], nextCursor: null } } satisfies FromEngine));
      },
      onMessage: (l) => {
        listener = l;
        queueMicrotask(() => l({ type: 'ready', pid: 1 } satisfies FromEngine));
      },
      onExit: () => undefined,
      kill: () => undefined,
    };
    const supervisor = new EngineSupervisor({ spawn: () => proc, config: () => secrets.config(SettingsSchema.parse({})), onEvent: () => undefined, autoResume: () => false, onKeysNeeded: () => secrets.unlock() });
    cleanups.push(() => supervisor.shutdown(10).then(() => undefined));
    await supervisor.start();
    await expect(supervisor.request('sessions:list', {})).resolves.toEqual({ items: [], nextCursor: null });
    expect(keychain.asked()).toBe(0);
    expect(sent[0]).toMatchObject({ type: 'configure', config: { keys: {}, keychain: 'locked' } });

    // The engine asks; main waits for the keychain, then configures the engine with the key.
    listener({ type: 'keys-needed' } satisfies FromEngine);
    expect(secrets.state).toBe('unlocking');
    await vi.waitFor(() => expect(keychain.asked()).toBe(1));
    keychain.answer();
    await vi.waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(secrets.config(SettingsSchema.parse({}))).toMatchObject({ keychain: 'ready', keys: { Work: { value: KEY, origin: 'https://api.example.com' } } });

    // A key saved while the keychain is being read is not lost: it is decrypted once more afterwards.
    secrets.keysChanged();
    await vi.waitFor(() => expect(keychain.asked()).toBe(1));
    await keys.set('Home', 'sk-fake-SECOND-6666', 'https://home.example');
    secrets.keysChanged();
    // The keychain answers every prompt from now on.
    await vi.waitFor(() => {
      keychain.answer();
      expect(secrets.config(SettingsSchema.parse({})).keys.Home?.value).toBe('sk-fake-SECOND-6666');
    });
  });

  test('simulator-only use never asks; a stored-key provider asks main, says it is waiting, and works once the key is in', async () => {
    const dir = tempDir();
    const server = await startSimulator({ words: 10, tokensPerSecond: 0 });
    cleanups.push(() => server.close());
    const requestKeys = vi.fn();
    const service = await createAppService({ dataDir: path.join(dir, 'data'), simulator: { tokensPerSecond: 0, words: 10 }, requestKeys, keychainWaitMs: 20 });
    cleanups.push(() => service.shutdown());
    const origin = new URL(server.baseURL).origin;
    const settings = SettingsSchema.parse({ providers: [{ name: 'Work', baseUrl: server.baseURL, model: 'cairn-simulator', keySource: { kind: 'keystore', profile: 'Work' } }] });
    service.configure({ settings, keys: {}, keychain: 'locked' });

    const doc = path.join(dir, 'doc.md');
    fs.writeFileSync(doc, contractMarkdown(3));
    const created = await service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Simulator', documents: [doc], chunkTokens: 300, start: true });
    await sessionWaiter(service)((s) => s.status === 'done', created.id);
    expect(requestKeys).not.toHaveBeenCalled();

    const waiting = await service.handle('providers:test', { name: 'Work' });
    expect(requestKeys).toHaveBeenCalled();
    expect(waiting).toMatchObject({ ok: false, message: expect.stringContaining('waiting for the system keychain') });

    service.configure({ settings, keys: { Work: { value: KEY, origin } }, keychain: 'ready' });
    expect(await service.handle('providers:test', { name: 'Work' })).toMatchObject({ ok: true });
  });
});
