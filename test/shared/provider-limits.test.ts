import { describe, expect, it } from 'vitest';
import { providerLimitText } from '../../shared/provider-limits.ts';

describe('providerLimitText', () => {
  it('names the per-minute limits and a window below the configured concurrency', () => {
    expect(providerLimitText({ requestsPerMinute: 60, tokensPerMinute: 100_000, concurrency: 4, maxConcurrency: 4 })).toBe('limited by the provider: 60 requests/min, 100k tokens/min');
    expect(providerLimitText({ requestsPerMinute: null, tokensPerMinute: null, concurrency: 2, maxConcurrency: 6 })).toBe('limited by the provider: 2 at once');
    expect(providerLimitText({ requestsPerMinute: null, tokensPerMinute: null, concurrency: 6, maxConcurrency: 6 })).toBeNull();
  });
});
