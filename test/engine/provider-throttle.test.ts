// The throttle on a manual clock: its waits are read from the clock, never timed.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/engine/clock.ts';
import { ProviderThrottle } from '../../electron/engine/provider-throttle.ts';
import { parseRateLimitHeaders } from '../../electron/engine/provider/rate-limit-headers.ts';

const headers = (h: Record<string, string>) => parseRateLimitHeaders(new Headers(h));
const noTokens = () => 0;

describe('rate-limit headers', () => {
  it("reads OpenAI's x-ratelimit-* headers, durations in any of its forms", () => {
    expect(headers({
      'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '100000', 'x-ratelimit-remaining-tokens': '99000', 'x-ratelimit-reset-tokens': '6m0s',
    })).toEqual({ requests: { perMinute: 60, remaining: 59, resetMs: 1_000 }, tokens: { perMinute: 100_000, remaining: 99_000, resetMs: 360_000 } });
    expect(headers({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20ms' })?.requests?.resetMs).toBe(20);
    expect(headers({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m30.5s' })?.requests?.resetMs).toBe(90_500);
  });

  it('ignores headers that do not parse', () => {
    expect(headers({})).toBeNull();
    expect(headers({ 'x-ratelimit-limit-requests': 'lots', 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': '1s' })).toBeNull();
    expect(headers({ 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': 'soon' })).toBeNull();
  });
});

describe('ProviderThrottle', () => {
  it('halves the window once for the calls already open when a 429 came, then grows by one per window of successes', async () => {
    const clock = new ManualClock();
    const t = new ProviderThrottle(6, clock);
    const tickets = await Promise.all(Array.from({ length: 6 }, () => t.acquire(noTokens, 0)));
    expect(t.open).toBe(6);
    clock.advance(10);
    // Four of the six are refused for open streams (no headers): one halving, not four.
    for (const k of tickets.slice(2)) t.rateLimited(k, null);
    expect(t.concurrency).toBe(3);
    t.succeeded(tickets[0]!, null, null);
    t.succeeded(tickets[1]!, null, null);
    expect(t.concurrency).toBe(3);
    // Back at the size that was refused (the third call was), growth waits eight windows.
    for (let i = 0; i < 3 * 8 - 3; i += 1) t.succeeded(await t.acquire(noTokens, 0), null, null);
    expect(t.concurrency).toBe(3);
    t.succeeded(await t.acquire(noTokens, 0), null, null);
    expect(t.concurrency).toBe(4);
  });

  it('keeps a call waiting while the window is full and lets it go when one ends', async () => {
    const t = new ProviderThrottle(2, new ManualClock());
    const a = await t.acquire(noTokens, 0);
    await t.acquire(noTokens, 0);
    let third = false;
    const pending = t.acquire(noTokens, 0).then(() => {
      third = true;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    t.succeeded(a, null, null);
    await pending;
    expect(third).toBe(true);
    expect(t.open).toBe(2);
  });

  it('paces calls at the provider\'s requests per minute once its headers are known, and says what it learned', async () => {
    const clock = new ManualClock();
    const t = new ProviderThrottle(4, clock);
    const seen: Array<number | null> = [];
    t.on('limits', (l) => seen.push(l.requestsPerMinute));
    const first = await t.acquire(noTokens, 0);
    t.succeeded(first, headers({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' }), 50);
    expect(seen).toEqual([60]);
    for (let i = 0; i < 3; i += 1) t.succeeded(await t.acquire(noTokens, 0), null, null);
    // One per second: each call waited for the refill, none was sent into a 429.
    expect(clock.sleeps).toEqual([1_000, 1_000, 1_000]);
  });

  it('a 429 that says the allowance is spent leaves the window alone: the buckets pace instead', async () => {
    const clock = new ManualClock();
    const t = new ProviderThrottle(4, clock);
    const k = await t.acquire(noTokens, 0);
    t.rateLimited(k, headers({ 'x-ratelimit-limit-requests': '120', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '500ms' }));
    expect(t.concurrency).toBe(4);
    await t.acquire(noTokens, 0);
    expect(clock.sleeps).toEqual([500]);
  });

  it('counts a call\'s tokens only once a token limit is known, and waits for them', async () => {
    const clock = new ManualClock();
    const t = new ProviderThrottle(4, clock);
    let counted = 0;
    const prompt = () => {
      counted += 1;
      return 400;
    };
    const k = await t.acquire(prompt, 100);
    expect(counted).toBe(0);
    // 60k/min = 1000 per second; 200 left.
    t.succeeded(k, headers({ 'x-ratelimit-limit-tokens': '60000', 'x-ratelimit-remaining-tokens': '200', 'x-ratelimit-reset-tokens': '800ms' }), 100);
    expect(t.countsTokens).toBe(true);
    await t.acquire(prompt, 100);
    expect(counted).toBe(1);
    // 500 tokens needed, 200 there: 300 more at 1 per ms.
    expect(clock.sleeps).toEqual([300]);
  });
});
