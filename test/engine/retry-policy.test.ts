import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/engine/clock.ts';
import { EngineError } from '../../electron/engine/errors.ts';
import { backoffDelay, RateLimitGate, RetryPolicy } from '../../electron/engine/retry-policy.ts';

const transient = new EngineError({ category: 'transient', code: 'http_500', message: 'x' });

describe('backoff with full jitter', () => {
  it('draws from [0, min(cap, base·2^(n-1)))', () => {
    expect(backoffDelay(1, 1_000, 60_000, () => 0.999)).toBe(999);
    expect(backoffDelay(3, 1_000, 60_000, () => 0.5)).toBe(2_000);
    expect(backoffDelay(7, 1_000, 60_000, () => 0.999)).toBe(59_940); // capped at 60 s
    expect(backoffDelay(1_000, 1_000, 60_000, () => 0.5)).toBe(30_000);
    expect(backoffDelay(4, 1_000, 60_000, () => 0)).toBe(0);
  });

  it('stays within bounds for real randomness', () => {
    for (let n = 1; n <= 12; n += 1) {
      const d = backoffDelay(n, 1_000, 60_000, Math.random);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(60_000, 1_000 * 2 ** (n - 1)));
    }
  });
});

describe('RetryPolicy', () => {
  it('retries retryable errors until maxAttempts, never the others', () => {
    const p = new RetryPolicy({ maxAttempts: 3, random: () => 0.5 });
    expect(p.decide(transient, 1)).toEqual({ retry: true, delayMs: 500, source: 'backoff' });
    expect(p.decide(transient, 2)).toEqual({ retry: true, delayMs: 1_000, source: 'backoff' });
    expect(p.decide(transient, 3)).toEqual({ retry: false });
    for (const category of ['auth', 'model_not_found', 'context_length', 'disk', 'budget', 'cancelled', 'internal'] as const) {
      expect(p.decide(new EngineError({ category, code: 'x', message: 'x' }), 1)).toEqual({ retry: false });
    }
  });

  it('uses the provider Retry-After as given, however long', () => {
    const p = new RetryPolicy({ random: () => 0.5 });
    const limited = new EngineError({ category: 'rate_limit', code: 'rate_limited', message: 'x', retryAfterMs: 3_600_000 });
    expect(p.decide(limited, 1)).toEqual({ retry: true, delayMs: 3_600_000, source: 'retry-after' });
  });
});

describe('RateLimitGate', () => {
  it('holds every caller until the latest time any caller set', async () => {
    const clock = new ManualClock();
    const gate = new RateLimitGate(clock);
    expect(gate.closedUntil()).toBeNull();
    expect(await gate.pass()).toBe(0);
    gate.closeUntil(clock.now() + 5_000);
    gate.closeUntil(clock.now() + 2_000); // an earlier time never shortens the wait
    expect(gate.closedUntil()).toBe(clock.now() + 5_000);
    expect(await gate.pass()).toBe(5_000);
    expect(gate.closedUntil()).toBeNull();
  });

  it('stops waiting when aborted', async () => {
    const clock = new ManualClock();
    const gate = new RateLimitGate(clock);
    gate.closeUntil(clock.now() + 1_000);
    await expect(gate.pass(AbortSignal.abort())).rejects.toBeDefined();
  });
});

describe('an unreachable server', () => {
  const unreachable = new EngineError({ category: 'transient', code: 'unreachable', message: 'nothing is listening' });

  it('is tried a few times over at most 15 s, whatever the general schedule', () => {
    const p = new RetryPolicy({ maxAttempts: 8, baseMs: 1_000, capMs: 60_000, random: () => 0.999 });
    const delays: number[] = [];
    for (let attempt = 1; ; attempt += 1) {
      const d = p.decide(unreachable, attempt);
      if (!d.retry) break;
      delays.push(d.delayMs);
    }
    expect(delays.length).toBeGreaterThanOrEqual(2);
    expect(delays.length).toBeLessThanOrEqual(4);
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(15_000);
    // A general schedule shorter than that one is kept.
    expect(new RetryPolicy({ maxAttempts: 2 }).decide(unreachable, 2)).toEqual({ retry: false });
  });
});
