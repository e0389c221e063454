import { afterEach, describe, expect, test, vi } from 'vitest';
import { appDataDir, defaultDataDir, resolveDataDir, type PlatformInfo } from '../../electron/store/data-dir.ts';
import { StreamCoalescer, type StreamText } from '../../electron/service/stream-coalescer.ts';
import { FileGrants } from '../../electron/main/file-grants.ts';
import { createMainHandlers } from '../../electron/main/main-handlers.ts';
import { APP_USER_MODEL_ID, PowerSaveGuard, registerNotificationIdentity, SessionNotifier, type Notice } from '../../electron/main/notifications.ts';

describe('data directory shared with the CLI', () => {
  const linux: PlatformInfo = { platform: 'linux', env: {}, home: '/home/ana' };
  test('matches Electron appData + /Cairn on each OS', () => {
    expect(defaultDataDir(linux)).toBe('/home/ana/.config/Cairn');
    expect(defaultDataDir({ ...linux, env: { XDG_CONFIG_HOME: '/xdg' } })).toBe('/xdg/Cairn');
    expect(appDataDir({ ...linux, env: { XDG_CONFIG_HOME: 'relative' } })).toBe('/home/ana/.config');
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/ana' })).toBe('/Users/ana/Library/Application Support/Cairn');
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, home: 'C:\\Users\\ana' })).toBe('C:\\Users\\ana\\AppData\\Roaming\\Cairn');
  });
  test('CAIRN_DATA_DIR wins over the setting, which wins over the default', () => {
    expect(resolveDataDir('/data/cairn', linux)).toBe('/data/cairn');
    expect(resolveDataDir(null, linux)).toBe('/home/ana/.config/Cairn');
    expect(resolveDataDir('/data/cairn', { ...linux, env: { CAIRN_DATA_DIR: '/tmp/t1' } })).toBe('/tmp/t1');
    expect(defaultDataDir({ ...linux, env: { CAIRN_DATA_DIR: '' } })).toBe('/home/ana/.config/Cairn');
  });
});

describe('stream text guard', () => {
  afterEach(() => vi.useRealTimers());
  const chunk = (text: string, over: Partial<StreamText> = {}): StreamText => ({ sessionId: 'S', stepKey: 'map:0', attempt: 0, text, done: false, ...over });

  test('first chunk at once, then at most one event per interval, nothing dropped, last flushed at once', () => {
    vi.useFakeTimers();
    const out: StreamText[] = [];
    const c = new StreamCoalescer((p) => out.push(p), 50);
    c.push(chunk('a'));
    expect(out.map((p) => p.text)).toEqual(['a']);
    for (const t of ['b', 'c', 'd']) c.push(chunk(t));
    expect(out).toHaveLength(1);
    vi.advanceTimersByTime(50);
    expect(out.map((p) => p.text)).toEqual(['a', 'bcd']);
    c.push(chunk('e'));
    c.push(chunk('f', { done: true }));
    expect(out.map((p) => [p.text, p.done])).toEqual([['a', false], ['bcd', false], ['ef', true]]);
  });

  test('a new attempt is never glued onto the old one, and flushAll empties everything', () => {
    vi.useFakeTimers();
    const out: StreamText[] = [];
    const c = new StreamCoalescer((p) => out.push(p), 50);
    c.push(chunk('x'));
    c.push(chunk('y'));
    c.push(chunk('z', { attempt: 1 }));
    c.push(chunk('w', { stepKey: 'map:1' }));
    c.push(chunk('v', { stepKey: 'map:1' }));
    c.flushAll();
    // Per stream the order is kept; a new stream's first chunk is not held behind another stream.
    expect(out.map((p) => `${p.stepKey}/${p.attempt}:${p.text}`)).toEqual(['map:0/0:x', 'map:0/0:y', 'map:1/0:w', 'map:0/1:z', 'map:1/0:v']);
  });
});

describe('notifications and sleep', () => {
  test('a long session that finishes, or one that needs attention, is notified only when the window is not focused', () => {
    let now = 0;
    let focused = false;
    const notices: Notice[] = [];
    const n = new SessionNotifier({ notify: (x) => notices.push(x), isFocused: () => focused, enabled: () => true, longAfterMs: 1_000, now: () => now });
    n.observe({ id: 'A', name: 'Contract', status: 'running', reason: null });
    now = 500;
    n.observe({ id: 'A', name: 'Contract', status: 'done', reason: null });
    expect(notices).toEqual([]); // short: no noise
    n.observe({ id: 'B', name: 'Report', status: 'running', reason: null });
    now = 5_000;
    n.observe({ id: 'B', name: 'Report', status: 'done', reason: null });
    n.observe({ id: 'C', name: 'Budget', status: 'running', reason: null });
    n.observe({ id: 'C', name: 'Budget', status: 'paused', reason: { code: 'budget', message: 'The budget of $1.00 would be exceeded.' } });
    focused = true;
    n.observe({ id: 'D', name: 'Seen', status: 'running', reason: null });
    n.observe({ id: 'D', name: 'Seen', status: 'failed', reason: null });
    expect(notices).toEqual([
      { sessionId: 'B', title: 'Analysis finished', body: 'Report is done.' },
      { sessionId: 'C', title: 'Budget needs your attention', body: 'The budget of $1.00 would be exceeded.' },
    ]);
  });

  test('the power-save blocker is held only while sessions run and the setting is on', () => {
    const calls: string[] = [];
    const g = new PowerSaveGuard({ start: (t) => (calls.push(`start ${t}`), 7), stop: (id) => (calls.push(`stop ${id}`), true) });
    g.update(2, false);
    g.update(2, true);
    g.update(1, true);
    g.update(0, true);
    expect(calls).toEqual(['start prevent-app-suspension', 'stop 7']);
    expect(g.active).toBe(false);
  });
});

describe('app:openExternal', () => {
  test('opens only http(s) links, each after a native confirmation in main that shows the whole URL', async () => {
    const opened: string[] = [];
    const asked: string[] = [];
    let answer = true;
    const handlers = createMainHandlers({
      settings: {} as never,
      keys: {} as never,
      appInfo: () => ({ version: '0', platform: 'linux', dataDir: '/d' }),
      openExternal: async (u) => void opened.push(u),
      confirm: async (q) => (asked.push(q.detail), answer),
      pickDocuments: async () => ['/docs/a.pdf'],
      files: new FileGrants(),
      writeClipboard: () => undefined,
      onSettingsChanged: () => undefined,
      onKeysChanged: () => undefined,
    });
    await expect(handlers['app:openExternal']({ url: 'https://example.com/x' }, null as never)).resolves.toEqual({ opened: true });
    await expect(handlers['app:openExternal']({ url: 'file:///etc/passwd' }, null as never)).rejects.toMatchObject({ code: 'refused_url' });
    await expect(handlers['documents:pick']({}, null as never)).resolves.toEqual({ paths: ['/docs/a.pdf'] });
    expect(opened).toEqual(['https://example.com/x']);
    expect(asked).toEqual([expect.stringContaining('https://example.com/x')]);
    // Declined in main: a page that calls the channel itself opens nothing.
    answer = false;
    await expect(handlers['app:openExternal']({ url: 'https://evil.example/?q=1' }, null as never)).resolves.toEqual({ opened: false });
    expect(opened).toEqual(['https://example.com/x']);
    expect(asked.at(-1)).toContain('https://evil.example/?q=1');
  });
});

describe('Windows notifications', () => {
  test('the AppUserModelID is the installer\'s appId, set on Windows only', async () => {
    const { readFileSync } = await import('node:fs');
    const yml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(/^appId: (.+)$/m.exec(yml)?.[1]?.trim()).toBe(APP_USER_MODEL_ID);
    const set: string[] = [];
    registerNotificationIdentity({ setAppUserModelId: (id) => void set.push(id) }, 'linux');
    expect(set).toEqual([]);
    registerNotificationIdentity({ setAppUserModelId: (id) => void set.push(id) }, 'win32');
    expect(set).toEqual([APP_USER_MODEL_ID]);
  });
});

describe('app:copyText', () => {
  test('writes through main\'s clipboard module (the page itself is denied clipboard-sanitized-write)', async () => {
    const written: string[] = [];
    const handlers = createMainHandlers({
      settings: {} as never,
      keys: {} as never,
      appInfo: () => ({ version: '0', platform: 'linux', dataDir: '/d' }),
      openExternal: async () => undefined,
      confirm: async () => false,
      writeClipboard: (text) => void written.push(text),
      pickDocuments: async () => [],
      files: new FileGrants(),
      onSettingsChanged: () => undefined,
      onKeysChanged: () => undefined,
    });
    await expect(Promise.resolve(handlers['app:copyText']({ text: '# Report' }, null as never))).resolves.toEqual({ copied: true });
    expect(written).toEqual(['# Report']);
  });
});

describe('providers', () => {
  test('the built-in simulator is always offered and cannot be replaced or removed', async () => {
    const { SettingsSchema } = await import('../../shared/settings.ts');
    let current = SettingsSchema.parse({});
    const settings = { get: () => current, update: (patch: object) => (current = SettingsSchema.parse({ ...current, ...patch })) };
    const handlers = createMainHandlers({
      settings: settings as never,
      keys: { headerEntries: () => [], originOf: () => undefined, retainHeaders: () => undefined } as never,
      appInfo: () => ({ version: '0', platform: 'linux', dataDir: '/d' }),
      openExternal: async () => undefined,
      confirm: async () => false,
      pickDocuments: async () => [],
      files: new FileGrants(),
      writeClipboard: () => undefined,
      onSettingsChanged: () => undefined,
      onKeysChanged: () => undefined,
    });
    const fresh = await handlers['providers:list']({}, null as never);
    expect(fresh.items.map((p) => [p.name, p.simulator])).toEqual([['Simulator', true]]);
    const local = { name: 'Local', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3', headers: {}, keySource: { kind: 'none' as const }, simulator: false };
    const saved = await handlers['providers:save']({ profile: local }, null as never);
    expect(saved.items.map((p) => p.name)).toEqual(['Simulator', 'Local']);
    expect(current.providers.map((p) => p.name)).toEqual(['Local']);
    // Handlers may throw synchronously; the router awaits them either way.
    const attempt = async (f: () => unknown) => f();
    await expect(attempt(() => handlers['providers:save']({ profile: { ...local, name: 'Simulator' } }, null as never))).rejects.toMatchObject({ code: 'reserved_name' });
    await expect(attempt(() => handlers['providers:delete']({ name: 'Simulator' }, null as never))).rejects.toMatchObject({ code: 'reserved_name' });
  });
});
