import { beforeEach, describe, expect, test, vi } from 'vitest';

vi.mock('electron', async () => await import('./fake-electron.ts'));

const fake = await import('./fake-electron.ts');
const { registerIpc, WIRE_PREFIX } = await import('../../electron/main/ipc-router.ts');
const { CHANNEL_NAMES } = await import('../../shared/ipc/index.ts');
import type { Session } from '../../shared/domain.ts';

const ORIGIN = 'cairn://app';
const ID = '01JBQ4Z8Y6W2N3XKPRS7TV5M9A';
const session: Session = {
  id: ID, name: 'Contract', status: 'done', reason: null, retryAt: null,
  progress: { done: 3, total: 3, failed: 0, etaSeconds: null },
  usage: { inputTokens: 10, outputTokens: 20, costUsd: 0, estimated: false },
  config: {
    task: 'Summarise', template: 'summary', documents: [], chunkTokens: 1500, overlapTokens: 100, concurrency: 4, budgetUsd: null,
    resumePolicy: 'restart', temperature: 0, maxAttempts: 8,
    provider: { name: 'Simulator', baseUrl: 'http://127.0.0.1:1/v1', model: 'cairn-sim', headers: {}, keySource: { kind: 'none' }, simulator: true },
  },
  headId: null, forkOf: null, createdAt: '2026-11-27T12:00:00.000Z', updatedAt: '2026-11-27T12:00:00.000Z', archived: false, trashed: false,
};

function call(channel: string, payload: unknown, url = `${ORIGIN}/index.html`, opts: { subFrame?: boolean; noFrame?: boolean } = {}) {
  const h = fake.handlers.get(WIRE_PREFIX + channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return h(fake.fakeEvent(url, opts), payload) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string; hint?: string } }>;
}

describe('IPC router', () => {
  let unregister: () => void = () => undefined;
  const getSession = vi.fn(async () => session);

  beforeEach(() => {
    unregister();
    getSession.mockClear();
    unregister = registerIpc({ allowedOrigins: [ORIGIN], handlers: { 'sessions:get': getSession } });
  });

  test('registers exactly one handler per contract channel', () => {
    expect([...fake.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((c) => WIRE_PREFIX + c).sort());
  });

  test('a valid call reaches the handler with the parsed payload', async () => {
    const r = await call('sessions:get', { id: ID });
    expect(r).toEqual({ ok: true, value: session });
    expect(getSession).toHaveBeenCalledWith({ id: ID }, expect.anything());
  });

  test.each([
    ['wrong type', { id: 42 }],
    ['missing field', {}],
    ['unknown key', { id: ID, extra: true }],
    ['path as id', { id: '../../etc/passwd' }],
    ['not an object', 'sessions'],
  ])('a payload with %s is rejected before the handler', async (_label, payload) => {
    const r = await call('sessions:get', payload);
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('invalid_request');
    expect(getSession).not.toHaveBeenCalled();
  });

  test.each([
    ['another origin', 'https://evil.example/index.html', {}],
    ['a file:// page', 'file:///tmp/x.html', {}],
    ['a sub-frame of our own page', `${ORIGIN}/index.html`, { subFrame: true }],
    ['a destroyed frame', `${ORIGIN}/index.html`, { noFrame: true }],
  ])('a request from %s is refused before the handler', async (_label, url, opts) => {
    const r = await call('sessions:get', { id: ID }, url, opts);
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('forbidden_sender');
    expect(getSession).not.toHaveBeenCalled();
  });

  test('a thrown error comes back as {code, message, hint}', async () => {
    getSession.mockImplementationOnce(async () => {
      throw Object.assign(new Error('Session 01J… was not found.'), { code: 'not_found', hint: 'It may have been deleted.' });
    });
    const r = await call('sessions:get', { id: ID });
    expect(r).toEqual({ ok: false, error: { code: 'not_found', message: 'Session 01J… was not found.', hint: 'It may have been deleted.' } });
  });

  test('an unexpected error is reported as internal without a stack', async () => {
    getSession.mockImplementationOnce(async () => {
      throw new TypeError('boom');
    });
    const r = await call('sessions:get', { id: ID });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('internal');
    expect(JSON.stringify(r)).not.toContain('at ');
  });

  test('a handler returning data outside the contract is caught', async () => {
    getSession.mockImplementationOnce(async () => ({ ...session, secret: 'x' }) as never);
    const r = await call('sessions:get', { id: ID });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('internal');
  });

  test('a channel without a handler says so', async () => {
    const r = await call('backups:list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'not_implemented' } });
  });
});
