// The words for what a provider's limits hold a run to, in one place for the
// CLI's status lines and the session view.
import { z } from 'zod';

/** What the engine observed of the provider's limits (its headers, its 429s). */
export const ProviderLimitsSchema = z.strictObject({
  requestsPerMinute: z.number().positive().nullable(),
  tokensPerMinute: z.number().positive().nullable(),
  /** Calls the run lets open at once now, and the most it is configured for. */
  concurrency: z.number().int().positive(),
  maxConcurrency: z.number().int().positive(),
});
export type ProviderLimits = z.infer<typeof ProviderLimitsSchema>;

const count = (n: number): string => (n >= 10_000 ? `${Math.round(n / 1_000)}k` : String(Math.round(n)));

/** "limited by the provider: 60 requests/min, 100k tokens/min", or null when the provider states no limit. */
export function providerLimitText(l: ProviderLimits): string | null {
  const parts: string[] = [];
  if (l.requestsPerMinute !== null) parts.push(`${count(l.requestsPerMinute)} requests/min`);
  if (l.tokensPerMinute !== null) parts.push(`${count(l.tokensPerMinute)} tokens/min`);
  if (l.concurrency < l.maxConcurrency) parts.push(`${l.concurrency} at once`);
  return parts.length > 0 ? `limited by the provider: ${parts.join(', ')}` : null;
}
