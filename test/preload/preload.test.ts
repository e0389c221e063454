import { describe, expect, test, vi } from 'vitest';

vi.mock('electron', async () => await import('../main/fake-electron.ts'));

const fake = await import('../main/fake-electron.ts');
await import('../../electron/preload/preload.ts');
const { PAGE_CHANNEL_NAMES, EVENT_NAMES, methodName, subscriptionName } = await import('../../shared/ipc/index.ts');

describe('preload', () => {
  const bridge = fake.exposed.get('cairn') as Record<string, (...a: unknown[]) => unknown>;

  test('exposes exactly one method per page channel (none for preload-only ones) and one subscription per event, nothing generic', () => {
    const expected = [...PAGE_CHANNEL_NAMES.map(methodName), ...EVENT_NAMES.map(subscriptionName)].sort();
    expect(Object.keys(bridge).sort()).toEqual(expected);
    for (const generic of ['invoke', 'send', 'on', 'ipcRenderer', 'removeListener']) expect(bridge[generic]).toBeUndefined();
    expect(Object.isFrozen(bridge)).toBe(true);
    expect([...fake.exposed.keys()].sort()).toEqual(['cairn', 'cairnFiles']);
    expect(Object.keys(fake.exposed.get('cairnFiles') as object)).toEqual(['grantDropped']);
  });

  test('a method invokes its own channel with the payload', async () => {
    fake.handlers.set('cairn:sessions:list', async (_e, payload) => ({ ok: true, value: { echo: payload } }));
    await expect(bridge.sessionsList!({ limit: 5 })).resolves.toEqual({ ok: true, value: { echo: { limit: 5 } } });
  });

  test('subscriptions receive only the payload and unsubscribe stops delivery', () => {
    const seen: unknown[] = [];
    const off = bridge.onStreamText!((p: unknown) => seen.push(p)) as () => void;
    fake.emitToRenderer('cairn:stream:text', { text: 'a' });
    off();
    fake.emitToRenderer('cairn:stream:text', { text: 'b' });
    expect(seen).toEqual([{ text: 'a' }]);
    expect(fake.listeners.get('cairn:stream:text')?.size ?? 0).toBe(0);
  });
});
