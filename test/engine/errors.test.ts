// Classification of every failure the SDK can report, produced for real by
// the simulator over HTTP and read through the real openai SDK.
import { inspect } from 'node:util';
import { APIConnectionError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError, type EngineError, parseRetryAfter, redactSecrets } from '../../electron/engine/errors.ts';
import type { ProviderClient } from '../../electron/engine/provider/client.ts';
import { startSimulator, type Fault, type Simulator } from '../../electron/engine/simulator/index.ts';
import { simClient, userMessages } from './helpers.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ words: 30, models: ['cairn-simulator', 'gpt-4o-mini'] });
});
afterAll(async () => sim.close());

/** Streams one answer with the fault injected and returns the classified failure. */
async function failWith(fault: Fault, client: ProviderClient = simClient(sim)): Promise<EngineError> {
  sim.faults.next(fault);
  try {
    const stream = await client.openStream({ messages: userMessages() });
    for await (const chunk of stream) void chunk;
  } catch (err) {
    return client.classify(err);
  }
  throw new Error('expected the call to fail');
}

describe('error classification through the simulator and the SDK', () => {
  it('401 is auth: names the provider and the key source, and says what to do', async () => {
    const e = await failWith({ kind: 'unauthorized' }, simClient(sim, { name: 'DeepSeek' }, 'sk-test', 'environment variable DEEPSEEK_API_KEY'));
    expect(e.category).toBe('auth');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe('The API key from environment variable DEEPSEEK_API_KEY was rejected by DeepSeek (401).');
    expect(e.hint).toContain('DEEPSEEK_API_KEY');
  });

  it('403 is auth (permission)', async () => {
    const e = await failWith({ kind: 'forbidden' });
    expect([e.category, e.code, e.status]).toEqual(['auth', 'forbidden', 403]);
    expect(e.message).toContain('cairn-simulator');
  });

  it('404 model is model_not_found and can list what the provider has', async () => {
    const client = simClient(sim, { model: 'gpt-5-nonexistent' });
    const e = await client.withAvailableModels(await failWith({ kind: 'drop', afterChunks: 99 }, client));
    expect(e.category).toBe('model_not_found');
    expect(e.message).toBe('The model "gpt-5-nonexistent" is not available at Simulator (404).');
    expect(e.availableModels).toEqual(['cairn-simulator', 'gpt-4o-mini']);
    sim.faults.clear();
  });

  it('400 context_length_exceeded is context_length', async () => {
    const e = await failWith({ kind: 'context_length' });
    expect([e.category, e.status, e.retryable]).toEqual(['context_length', 400, false]);
  });

  it('429 with Retry-After in seconds, as an HTTP date, and retry-after-ms', async () => {
    const secs = await failWith({ kind: 'rate_limit', retryAfterSeconds: 7 });
    expect([secs.category, secs.retryAfterMs]).toEqual(['rate_limit', 7_000]);
    const long = await failWith({ kind: 'rate_limit', retryAfterSeconds: 86_400 });
    expect(long.retryAfterMs).toBe(86_400_000);
    const date = new Date(Date.now() + 30_000).toUTCString();
    const dated = await failWith({ kind: 'rate_limit', retryAfterDate: date });
    expect(dated.retryAfterMs).toBeGreaterThan(25_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(30_000);
    const ms = await failWith({ kind: 'rate_limit', retryAfterMs: 1_500 });
    expect(ms.retryAfterMs).toBe(1_500);
    const none = await failWith({ kind: 'rate_limit' });
    expect([none.retryable, none.retryAfterMs]).toEqual([true, null]);
  });

  it('5xx is transient', async () => {
    for (const status of [500, 503]) {
      const e = await failWith({ kind: 'server_error', status });
      expect([e.category, e.code]).toEqual(['transient', `http_${status}`]);
    }
  });

  it('a connection dropped mid-stream is transient (terminated)', async () => {
    const e = await failWith({ kind: 'drop', afterChunks: 5 });
    expect(e.category).toBe('transient');
    expect(['terminated', 'ECONNRESET', 'UND_ERR_SOCKET']).toContain(e.code);
    expect(e.message).toContain('partial answer is kept');
  });

  it('a connection dropped before any response is transient', async () => {
    const e = await failWith({ kind: 'drop', afterChunks: 0 });
    expect(e.category).toBe('transient');
  });

  it('a malformed chunk is transient (malformed_chunk)', async () => {
    const e = await failWith({ kind: 'malformed', afterChunks: 3 });
    expect([e.category, e.code]).toEqual(['transient', 'malformed_chunk']);
  });

  it('an unreachable server is transient and says to check the base URL', async () => {
    const closed = await startSimulator();
    const client = simClient(closed);
    await closed.close();
    const err = await client.openStream({ messages: userMessages() }).then(() => null, (e: unknown) => client.classify(e));
    expect(err?.category).toBe('transient');
    expect(err?.code).toBe('unreachable');
    expect(err?.message).toBe(`Nothing is listening at 127.0.0.1:${closed.port} — is the server (Ollama, LM Studio, vLLM) running?`);
  });

  it('a port that fetch refuses to use (9, "bad port") is a configuration error, not retried', () => {
    const ctx = { provider: '127.0.0.1:9', keySource: 'k', model: 'm', baseUrl: 'http://127.0.0.1:9/v1' };
    const err = new APIConnectionError({ cause: new TypeError('fetch failed', { cause: new Error('bad port') }) });
    const e = classifyError(err, ctx);
    expect([e.category, e.code, e.retryable]).toEqual(['invalid_request', 'blocked_port', false]);
    expect(e.message).toMatch(/127\.0\.0\.1:9.*port 9/);
  });

  it('a host that does not resolve names the host', () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), { code: 'ENOTFOUND', hostname: 'nope.invalid' });
    const e = classifyError(new APIConnectionError({ cause: new TypeError('fetch failed', { cause }) }), { provider: 'P', keySource: 'k', model: 'm' });
    expect([e.category, e.code]).toEqual(['transient', 'unreachable']);
    expect(e.message).toMatch(/nope\.invalid/);
  });

  it('store failures are disk errors; aborts are cancellations', () => {
    const ctx = { provider: 'P', keySource: 'k', model: 'm' };
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(classifyError(full, ctx).category).toBe('disk');
    const io = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    expect(classifyError(io, ctx)).toMatchObject({ category: 'disk', code: 'SQLITE_IOERR' });
    expect(classifyError(Object.assign(new Error('x'), { code: 'read_only' }), ctx).category).toBe('disk');
    expect(classifyError(new DOMException('aborted', 'AbortError'), ctx).category).toBe('cancelled');
    expect(classifyError(new Error('weird'), ctx).category).toBe('internal');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1);
  const h = (o: Record<string, string>) => new Headers(o);
  it('prefers retry-after-ms, then seconds, then an HTTP date; ignores junk', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '120' }), now)).toBe(120_000);
    expect(parseRetryAfter(h({ 'retry-after': '1.5' }), now)).toBe(1_500);
    expect(parseRetryAfter(h({ 'retry-after': new Date(now + 90_000).toUTCString() }), now)).toBe(90_000);
    expect(parseRetryAfter(h({ 'retry-after': new Date(now - 90_000).toUTCString() }), now)).toBe(0);
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(parseRetryAfter(h({}), now)).toBeNull();
  });
});

describe('redactSecrets', () => {
  it('removes the key and key-shaped strings', () => {
    expect(redactSecrets('Incorrect API key provided: abc123secret.', 'abc123secret')).toBe('Incorrect API key provided: [redacted].');
    expect(redactSecrets('key sk-proj-AbCdEf123456 rejected')).toBe('key [redacted] rejected');
    expect(redactSecrets('Authorization: Bearer xyz')).toBe('Authorization: Bearer [redacted]');
  });

  it('keeps a key the provider echoes back out of every message', async () => {
    const keyed = await startSimulator({ apiKey: 'the-right-one' });
    try {
      const secret = 'my-very-secret-key-value';
      const client = simClient(keyed, {}, secret, 'environment variable SIM_KEY');
      const err = await client.openStream({ messages: userMessages() }).then(() => null, (e: unknown) => client.classify(e));
      expect(keyed.log.entries[0]?.sent).toContain(secret); // the server did echo it
      expect(err?.category).toBe('auth');
      expect(JSON.stringify([err?.message, err?.hint, err?.detail, err?.toReason()])).not.toContain(secret);
      expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(secret);
    } finally {
      await keyed.close();
    }
  });
});
