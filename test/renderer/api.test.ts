import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, createApi, windowApi } from '../../renderer/api.ts';
import { PAGE_CHANNEL_NAMES, EVENT_NAMES, methodName, subscriptionName, type CairnBridge } from '../../shared/ipc/index.ts';
import { FakeCairn } from './fake-api.ts';

afterEach(() => {
  const w = window as unknown as Record<string, unknown>;
  delete w.cairn;
  delete w.cairnFiles;
});

describe('renderer/api.ts', () => {
  it('exposes every page channel and event, and nothing else but grantDropped', () => {
    const api = createApi(new FakeCairn().bridge());
    const expected = [...PAGE_CHANNEL_NAMES.map(methodName), ...EVENT_NAMES.map(subscriptionName), 'grantDropped'].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
  });

  it('unwraps a value and throws an ApiError carrying code, message and hint', async () => {
    const fake = new FakeCairn();
    const api = createApi(fake.bridge());
    expect((await api.settingsGet({})).theme).toBe('system');
    fake.failNext('settingsGet', { code: 'corrupt', message: 'settings.json is damaged.', hint: 'Open Settings → General.' });
    const error = await api.settingsGet({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'corrupt', message: 'settings.json is damaged.', hint: 'Open Settings → General.' });
  });

  it('turns a rejected bridge call into an actionable ApiError', async () => {
    const bridge = { ...new FakeCairn().bridge(), appInfo: () => Promise.reject(new Error('channel closed')) } as CairnBridge;
    const error = await createApi(bridge).appInfo({}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ipc-failed', message: 'The app could not reach its engine: channel closed' });
  });

  it('reports a channel the bridge lacks instead of crashing', async () => {
    const partial = { ...new FakeCairn().bridge() } as Partial<CairnBridge>;
    delete partial.backupsPrune;
    const error = await createApi(partial as CairnBridge).backupsPrune({}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not-available' });
  });

  it('subscriptions deliver payloads until unsubscribed', () => {
    const fake = new FakeCairn();
    const api = createApi(fake.bridge());
    const seen: string[] = [];
    const off = api.onEngineRestarted((p) => seen.push(...p.interrupted));
    fake.emit('engine:restarted', { interrupted: ['01HX0000000000000000000001'] });
    off();
    fake.emit('engine:restarted', { interrupted: ['01HX0000000000000000000002'] });
    expect(seen).toEqual(['01HX0000000000000000000001']);
    expect(fake.listenerCount('engine:restarted')).toBe(0);
  });

  it('windowApi is null without the preload, and uses the preload for dropped files', async () => {
    expect(windowApi()).toBeNull();
    const w = window as unknown as Record<string, unknown>;
    w.cairn = new FakeCairn().bridge();
    w.cairnFiles = { grantDropped: async (files: File[]) => files.map((f) => `/dropped/${f.name}`) };
    const api = windowApi();
    expect(await api?.grantDropped([new File(['x'], 'a.pdf')])).toEqual(['/dropped/a.pdf']);
    w.cairnFiles = { grantDropped: async () => { throw new Error('not a file'); } };
    expect(await windowApi()?.grantDropped([new File(['x'], 'b.pdf')])).toEqual([]);
  });
});
