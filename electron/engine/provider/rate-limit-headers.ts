// What a provider says about its limits in OpenAI's `x-ratelimit-*` headers
// (sent on successful answers and on 429s): the per-minute limit, what is left
// and when it is whole again. Headers come from outside, so they are parsed,
// never trusted: a value that does not parse is as good as absent.
import { z } from 'zod';

export interface LimitState {
  /** The provider's limit per minute. */
  perMinute: number;
  /** What may be spent now. */
  remaining: number;
  /** ms until the allowance is whole again. */
  resetMs: number;
}

export interface RateLimitHeaders {
  requests: LimitState | null;
  tokens: LimitState | null;
}

const Count = z.string().trim().regex(/^\d+(\.\d+)?$/).transform(Number);

/** `20ms`, `1s`, `1.5s`, `6m0s`, `1h2m3s`, or bare seconds. */
const Duration = z.string().trim().max(40).transform((s, ctx) => {
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1_000;
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(s);
  if (!m || s === '') {
    ctx.addIssue({ code: 'custom', message: `not a duration: ${s}` });
    return z.NEVER;
  }
  return Number(m[1] ?? 0) * 3_600_000 + Number(m[2] ?? 0) * 60_000 + Number(m[3] ?? 0) * 1_000 + Number(m[4] ?? 0);
});

const LimitStateSchema = z.object({ perMinute: Count.pipe(z.number().positive()), remaining: Count, resetMs: Duration });

function limitState(headers: Headers, kind: 'requests' | 'tokens'): LimitState | null {
  const parsed = LimitStateSchema.safeParse({
    perMinute: headers.get(`x-ratelimit-limit-${kind}`) ?? undefined,
    remaining: headers.get(`x-ratelimit-remaining-${kind}`) ?? undefined,
    resetMs: headers.get(`x-ratelimit-reset-${kind}`) ?? undefined,
  });
  return parsed.success ? parsed.data : null;
}

/** The limits the headers describe, or null when they describe none. */
export function parseRateLimitHeaders(headers: Headers | null | undefined): RateLimitHeaders | null {
  if (!headers) return null;
  const requests = limitState(headers, 'requests');
  const tokens = limitState(headers, 'tokens');
  return requests || tokens ? { requests, tokens } : null;
}
