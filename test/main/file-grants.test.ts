// The page can read only files the user chose: main refuses any path that did
// not come from the open dialog or a drop on the window, through the one router.
import { beforeEach, describe, expect, test, vi } from 'vitest';

vi.mock('electron', async () => await import('./fake-electron.ts'));

const fake = await import('./fake-electron.ts');
const { registerIpc, WIRE_PREFIX } = await import('../../electron/main/ipc-router.ts');
const { createMainHandlers } = await import('../../electron/main/main-handlers.ts');
const { FileGrants, requireChosenFiles } = await import('../../electron/main/file-grants.ts');
const { buildBridge, buildFiles } = await import('../../electron/preload/preload.ts');
import type { Handlers } from '../../electron/main/ipc-router.ts';

const ORIGIN = 'cairn://app';
type Result = { ok: boolean; value?: unknown; error?: { code: string; message: string; hint?: string } };
function call(channel: string, payload: unknown): Promise<Result> {
  const h = fake.handlers.get(WIRE_PREFIX + channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return h(fake.fakeEvent(`${ORIGIN}/index.html`), payload) as Promise<Result>;
}

const newSession = (documents: string[]) => ({ task: 'Summarise', template: 'custom', providerName: 'Simulator', documents, start: false });

describe('files the renderer may read', () => {
  let unregister: () => void = () => undefined;
  /** What reached the engine. */
  let engine: Array<{ channel: string; request: unknown }>;

  beforeEach(() => {
    unregister();
    engine = [];
    const files = new FileGrants();
    const main = createMainHandlers({
      settings: { get: () => ({ providers: [] }) } as never,
      keys: {} as never,
      appInfo: () => ({ version: '0', platform: 'linux', dataDir: '/d' }),
      openExternal: async () => undefined,
      confirm: async () => false,
      pickDocuments: async () => ['/home/ana/contract.md'],
      pickSessionFile: async () => ['/home/ana/lease.cairn.json'],
      files,
      writeClipboard: () => undefined,
      onSettingsChanged: () => undefined,
      onKeysChanged: () => undefined,
    });
    const viaEngine = (channel: string) => async (request: unknown) => {
      engine.push({ channel, request });
      if (channel === 'sessions:import') return { outcome: 'duplicate', existing: { id: '01JBQ4Z8Y6W2N3XKPRS7TV5M9A', name: 'Lease' } };
      return channel === 'documents:preview' ? { documents: [] } : channel === 'sessions:estimate' ? { chunks: 1, inputTokens: 1, outputTokens: 1, costUsd: null, seconds: null } : (() => { throw new Error('not in this test'); })();
    };
    const handlers: Partial<Handlers> = {
      ...main,
      'documents:preview': viaEngine('documents:preview') as never,
      'sessions:create': viaEngine('sessions:create') as never,
      'sessions:estimate': viaEngine('sessions:estimate') as never,
      'sessions:import': viaEngine('sessions:import') as never,
    };
    Object.assign(handlers, requireChosenFiles(files, handlers as Handlers));
    unregister = registerIpc({ allowedOrigins: [ORIGIN], handlers });
  });

  test('a path the user did not choose is refused before the engine sees it', async () => {
    for (const [channel, payload] of [
      ['documents:preview', { paths: ['/home/ana/.ssh/notes.txt'] }],
      ['sessions:create', newSession(['/etc/hosts'])],
      ['sessions:estimate', newSession(['/etc/hosts'])],
    ] as const) {
      const r = await call(channel, payload);
      expect(r, channel).toMatchObject({ ok: false, error: { code: 'file_not_chosen', hint: expect.stringContaining('Add documents') } });
    }
    expect(engine).toEqual([]);
  });

  test('files picked in the dialog or dropped on the window can be read; nothing else is', async () => {
    expect(await call('documents:pick', {})).toEqual({ ok: true, value: { paths: ['/home/ana/contract.md'] } });
    expect(await call('documents:preview', { paths: ['/home/ana/contract.md'] })).toMatchObject({ ok: true });
    expect(await call('documents:dropped', { paths: ['/home/ana/annex.pdf'] })).toEqual({ ok: true, value: { paths: ['/home/ana/annex.pdf'] } });
    expect(await call('sessions:estimate', newSession(['/home/ana/contract.md', '/home/ana/annex.pdf']))).toMatchObject({ ok: true });
    expect(await call('documents:preview', { paths: ['/home/ana/contract.md', '/home/ana/other.md'] })).toMatchObject({ ok: false, error: { code: 'file_not_chosen' } });
    expect(engine.map((e) => e.channel)).toEqual(['documents:preview', 'sessions:estimate']);
  });

  test('a session file is imported only once the user chose it in Import session…', async () => {
    const refused = await call('sessions:import', { path: '/home/ana/.config/other.json' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'file_not_chosen', hint: expect.stringContaining('Import session') } });
    expect(engine).toEqual([]);
    expect(await call('sessions:pickImport', {})).toEqual({ ok: true, value: { path: '/home/ana/lease.cairn.json' } });
    expect(await call('sessions:import', { path: '/home/ana/lease.cairn.json', onDuplicate: 'skip' })).toMatchObject({ ok: true, value: { outcome: 'duplicate' } });
    expect(engine).toEqual([{ channel: 'sessions:import', request: { path: '/home/ana/lease.cairn.json', onDuplicate: 'skip' } }]);
  });

  test('the page has no method to declare dropped paths; only the preload turns dropped File objects into them', async () => {
    const invoke = vi.fn(async (_channel: string, payload: unknown) => ({ ok: true, value: payload }));
    const page = buildBridge({ invoke, on: vi.fn(), removeListener: vi.fn() } as never);
    expect(page.documentsDropped).toBeUndefined();
    const files = buildFiles({ invoke } as never, (f) => (f.name === 'made-up.txt' ? '' : `/home/ana/${f.name}`)) as { grantDropped: (f: unknown) => Promise<string[]> };
    // A File the page made itself has no path on disk; a string is not a File.
    expect(await files.grantDropped([new File(['x'], 'made-up.txt'), '/etc/passwd'])).toEqual([]);
    expect(invoke).not.toHaveBeenCalled();
    expect(await files.grantDropped([new File(['x'], 'annex.pdf')])).toEqual(['/home/ana/annex.pdf']);
    expect(invoke).toHaveBeenCalledWith('cairn:documents:dropped', { paths: ['/home/ana/annex.pdf'] });
  });
});
