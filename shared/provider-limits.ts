// The words for what a provider's limits hold a run to, in one place for the
// CLI's status lines and the session view.

/** What the engine observed of the provider's limits (its headers, its 429s). */
export interface ProviderLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  /** Calls the run lets open at once now, and the most it is configured for. */
  concurrency: number;
  maxConcurrency: number;
}

const count = (n: number): string => (n >= 10_000 ? `${Math.round(n / 1_000)}k` : String(Math.round(n)));

/** "limited by the provider: 60 requests/min, 100k tokens/min", or null when the provider states no limit. */
export function providerLimitText(l: ProviderLimits): string | null {
  const parts: string[] = [];
  if (l.requestsPerMinute !== null) parts.push(`${count(l.requestsPerMinute)} requests/min`);
  if (l.tokensPerMinute !== null) parts.push(`${count(l.tokensPerMinute)} tokens/min`);
  if (l.concurrency < l.maxConcurrency) parts.push(`${l.concurrency} at once`);
  return parts.length > 0 ? `limited by the provider: ${parts.join(', ')}` : null;
}
