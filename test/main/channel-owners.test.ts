// Each channel of the contract is served by exactly one side, the one its
// `channel()` declaration names: main's handlers cover the main channels, the
// engine's service the engine channels, and nothing is served twice or not at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';

vi.mock('electron', async () => await import('./fake-electron.ts'));

const { createMainHandlers } = await import('../../electron/main/main-handlers.ts');
const { FileGrants } = await import('../../electron/main/file-grants.ts');
const { createAppService } = await import('../../electron/service/app-service.ts');
const { CHANNEL_NAMES, channels, ENGINE_CHANNEL_NAMES, engineTimeoutMs, LONG_ENGINE_TIMEOUT_MS, MAIN_CHANNEL_NAMES } = await import('../../shared/ipc/index.ts');

const dir = mkdtempSync(join(tmpdir(), 'cairn-owners-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe('who serves each channel', () => {
  test('every channel names one owner, and the two lists split the contract', () => {
    for (const name of CHANNEL_NAMES) expect(['main', 'engine']).toContain(channels[name].owner);
    expect(sorted([...MAIN_CHANNEL_NAMES, ...ENGINE_CHANNEL_NAMES])).toEqual(sorted(CHANNEL_NAMES));
    expect(MAIN_CHANNEL_NAMES.filter((c) => (ENGINE_CHANNEL_NAMES as readonly string[]).includes(c))).toEqual([]);
  });

  test("main's handlers are exactly the main channels", () => {
    const handlers = createMainHandlers({
      settings: { get: () => ({ providers: [] }) } as never,
      keys: {} as never,
      appInfo: () => ({ version: '0', platform: 'linux', dataDir: '/d' }),
      openExternal: async () => undefined,
      confirm: async () => false,
      pickDocuments: async () => [],
      files: new FileGrants(),
      writeClipboard: () => undefined,
      onSettingsChanged: () => undefined,
      onKeysChanged: () => undefined,
    });
    expect(sorted(Object.keys(handlers))).toEqual(sorted(MAIN_CHANNEL_NAMES));
  });

  test("the engine's service serves exactly the engine channels and refuses main's", async () => {
    const service = await createAppService({ dataDir: join(dir, 'data') });
    try {
      expect(sorted(service.channels)).toEqual(sorted(ENGINE_CHANNEL_NAMES));
      await expect(service.handle('settings:get' as never, {} as never)).rejects.toMatchObject({ code: 'not_served' });
    } finally {
      await service.shutdown();
    }
  });

  test('main waits longer only for the channels declared long', () => {
    expect(engineTimeoutMs('sessions:ask')).toBe(LONG_ENGINE_TIMEOUT_MS);
    expect(engineTimeoutMs('sessions:get')).toBeLessThan(LONG_ENGINE_TIMEOUT_MS);
    for (const name of MAIN_CHANNEL_NAMES) expect(channels[name].timeoutMs).toBeNull();
  });
});
