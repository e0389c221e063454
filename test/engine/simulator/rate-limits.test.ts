// The simulator's per-key provider limits, over real HTTP through the real openai SDK.
// Limits are chosen so that no refill can happen within a test, however slow the machine.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../electron/engine/simulator/index.ts';
import { formatResetDuration } from '../../../electron/engine/simulator/rate-limits.ts';
import { userMessages } from '../helpers.ts';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

const sdk = (s: Simulator, apiKey = 'x'): OpenAI => new OpenAI({ baseURL: s.baseURL, apiKey, maxRetries: 0, logLevel: 'off' });

const ask = (client: OpenAI) => client.chat.completions.create({ model: 'cairn-simulator', messages: userMessages() }).withResponse();

async function refusal(p: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err: unknown = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof OpenAI.APIError)) throw new Error(`expected an APIError, got ${String(err)}`);
  return err;
}

describe('simulator rate limits', () => {
  it('formats reset times the way OpenAI does', () => {
    expect(formatResetDuration(20)).toBe('20ms');
    expect(formatResetDuration(1_000)).toBe('1s');
    expect(formatResetDuration(1_500)).toBe('1.5s');
    expect(formatResetDuration(360_000)).toBe('6m0s');
  });

  it('sends no rate-limit headers when no limit is set', async () => {
    sim = await startSimulator({ words: 10 });
    const { response } = await ask(sdk(sim));
    expect(response.headers.get('x-ratelimit-limit-requests')).toBeNull();
  });

  it('refuses a request over the requests-per-minute limit with 429, Retry-After and the x-ratelimit headers', async () => {
    // 6/min: one request per 10 s may be sent.
    sim = await startSimulator({ words: 10, rateLimits: { requestsPerMinute: 6 } });
    const client = sdk(sim);
    const ok = await ask(client);
    expect(ok.response.headers.get('x-ratelimit-limit-requests')).toBe('6');
    expect(ok.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(ok.response.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?s$|^\d+ms$/);

    const err = await refusal(ask(client));
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limit_exceeded');
    expect(Number(err.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(err.headers?.get('retry-after-ms'))).toBeGreaterThan(0);
    expect(err.headers?.get('x-ratelimit-limit-requests')).toBe('6');
    expect(err.headers?.get('x-ratelimit-remaining-requests')).toBe('0');

    // Another key has its own allowance.
    await ask(sdk(sim, 'other-key'));
    expect(sim.log.completions().map((e) => [e.status, e.limited])).toEqual([[200, null], [429, 'requests'], [200, null]]);
  });

  it('refuses a request over the tokens-per-minute limit and reports the token allowance', async () => {
    // 600/min holds 10 tokens; the first request (far more) is admitted on a full bucket and leaves it in debt.
    sim = await startSimulator({ words: 10, rateLimits: { tokensPerMinute: 600 } });
    const client = sdk(sim);
    const ok = await ask(client);
    expect(ok.response.headers.get('x-ratelimit-limit-tokens')).toBe('600');
    expect(ok.response.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    expect(ok.response.headers.get('x-ratelimit-limit-requests')).toBeNull();
    const err = await refusal(ask(client));
    expect(err.status).toBe(429);
    expect(err.type).toBe('tokens');
    expect(err.headers?.get('x-ratelimit-remaining-tokens')).toBe('0');
    expect(Number(err.headers?.get('retry-after-ms'))).toBeGreaterThan(1_000);
    expect(sim.log.limited('tokens')).toHaveLength(1);
  });

  it('refuses a stream over the concurrent-streams limit until one ends', async () => {
    sim = await startSimulator({ words: 30, tokensPerSecond: 20, rateLimits: { concurrentStreams: 2 } });
    const client = sdk(sim);
    const open = () => client.chat.completions.create({ model: 'cairn-simulator', messages: userMessages(), stream: true });
    const a = await open();
    const b = await open();
    const err = await refusal(open());
    expect(err.status).toBe(429);
    expect(Number(err.headers?.get('retry-after-ms'))).toBeGreaterThan(0);
    for await (const _ of a) { /* read to the end */ }
    const c = await open();
    for await (const _ of b) { /* read to the end */ }
    for await (const _ of c) { /* read to the end */ }
    expect(sim.log.limited('concurrency')).toHaveLength(1);
    expect(sim.log.maxConcurrent()).toBe(2);
    expect(sim.log.completions().map((e) => e.status)).toEqual([200, 200, 429, 200]);
  });

  it('takes limits and a time to first token through configure()', async () => {
    sim = await startSimulator({ words: 5 });
    await ask(sdk(sim));
    sim.configure({ rateLimits: { requestsPerMinute: 6 }, firstTokenMs: 150 });
    const stream = await sdk(sim).chat.completions.create({ model: 'cairn-simulator', messages: userMessages(), stream: true });
    for await (const _ of stream) { /* read to the end */ }
    await refusal(ask(sdk(sim)));
    const [, streamed, refused] = sim.log.completions();
    expect(streamed?.status).toBe(200);
    expect(refused?.limited).toBe('requests');
    // A lower bound only: load can make the first token later, never earlier.
    expect((streamed?.content[0]?.at ?? 0) - Date.parse(streamed?.time ?? '')).toBeGreaterThanOrEqual(148);
  });
});
