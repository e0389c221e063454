// A provider's per-key limits, as the simulator enforces them: requests per
// minute, tokens per minute and streams open at once. Like OpenAI, a
// per-minute limit is enforced over a shorter period ("60,000 requests/minute
// may be enforced as 1,000 requests/second"): each is a bucket that holds one
// second's worth and refills continuously, so a burst cannot spend a minute's
// allowance at once. Every answer carries OpenAI's `x-ratelimit-*` headers;
// a request over a limit gets 429 with Retry-After.
import { z } from 'zod';
import { TokenBucket } from '../token-bucket.ts';

export const RateLimitsSchema = z.strictObject({
  requestsPerMinute: z.number().positive().nullable().optional(),
  tokensPerMinute: z.number().positive().nullable().optional(),
  concurrentStreams: z.number().int().positive().nullable().optional(),
});
export type RateLimits = z.infer<typeof RateLimitsSchema>;

export type LimitKind = 'requests' | 'tokens' | 'concurrency';

/** The bucket holds this much of a per-minute limit. */
const QUANTUM_MS = 1_000;

/** OpenAI's duration format for `x-ratelimit-reset-*`: `20ms`, `1s`, `1.5s`, `6m0s`. */
export function formatResetDuration(ms: number): string {
  const t = Math.max(0, Math.ceil(ms));
  if (t < 1_000) return `${t}ms`;
  const minutes = Math.floor(t / 60_000);
  const seconds = Math.round((t - minutes * 60_000) / 10) / 100;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** One of a key's per-minute limits: holds one quantum's worth, starts full. */
class Bucket extends TokenBucket {
  constructor(perMinute: number, now: number) {
    const capacity = Math.max(1, (perMinute * QUANTUM_MS) / 60_000);
    super(perMinute, capacity, capacity, now);
  }

  headers(kind: 'requests' | 'tokens', now: number): Record<string, string> {
    this.refill(now);
    return {
      [`x-ratelimit-limit-${kind}`]: String(Math.round(this.perMinute)),
      [`x-ratelimit-remaining-${kind}`]: String(Math.max(0, Math.floor(this.level))),
      [`x-ratelimit-reset-${kind}`]: formatResetDuration((this.capacity - this.level) / this.ratePerMs),
    };
  }
}

interface KeyState {
  requests: Bucket | null;
  tokens: Bucket | null;
  /** Expected end time of every open stream. */
  open: Map<number, number>;
}

export type Admission =
  | { admitted: true; headers: Record<string, string>; concurrent: number; release: () => void }
  | { admitted: false; headers: Record<string, string>; limit: LimitKind; retryAfterMs: number; message: string };

export class ProviderLimits {
  #limits: RateLimits;
  readonly #keys = new Map<string, KeyState>();
  #nextId = 0;

  constructor(limits: RateLimits = {}) {
    this.#limits = RateLimitsSchema.parse(limits);
  }

  /** New limits start every key afresh. */
  set(limits: RateLimits): void {
    this.#limits = RateLimitsSchema.parse(limits);
    this.#keys.clear();
  }

  get limits(): RateLimits {
    return this.#limits;
  }

  #state(key: string, now: number): KeyState {
    let s = this.#keys.get(key);
    if (!s) {
      const { requestsPerMinute: rpm, tokensPerMinute: tpm } = this.#limits;
      s = { requests: rpm ? new Bucket(rpm, now) : null, tokens: tpm ? new Bucket(tpm, now) : null, open: new Map() };
      this.#keys.set(key, s);
    }
    return s;
  }

  #headers(s: KeyState, now: number): Record<string, string> {
    return { ...s.requests?.headers('requests', now), ...s.tokens?.headers('tokens', now) };
  }

  /**
   * Admits one request costing `tokens` (prompt plus the answer's allowance) that should take `durationMs`,
   * or says which limit it is over and when to try again.
   */
  admit(key: string, tokens: number, durationMs: number, now: number = Date.now()): Admission {
    const s = this.#state(key, now);
    const requestWait = s.requests?.waitFor(1, now) ?? 0;
    if (requestWait > 0) {
      return {
        admitted: false, headers: this.#headers(s, now), limit: 'requests', retryAfterMs: requestWait,
        message: `Rate limit reached on requests per min (RPM) (simulated): Limit ${s.requests?.perMinute}. Please try again in ${formatResetDuration(requestWait)}.`,
      };
    }
    const tokenWait = s.tokens?.waitFor(tokens, now) ?? 0;
    if (tokenWait > 0) {
      return {
        admitted: false, headers: this.#headers(s, now), limit: 'tokens', retryAfterMs: tokenWait,
        message: `Rate limit reached on tokens per min (TPM) (simulated): Limit ${s.tokens?.perMinute}, Requested ${tokens}. Please try again in ${formatResetDuration(tokenWait)}.`,
      };
    }
    // Checked last, so a refusal for open streams says the allowances had room for this request.
    const maxOpen = this.#limits.concurrentStreams ?? null;
    if (maxOpen !== null && s.open.size >= maxOpen) {
      const soonest = Math.min(...s.open.values());
      return {
        admitted: false, headers: this.#headers(s, now), limit: 'concurrency', retryAfterMs: Math.max(1, Math.ceil(soonest - now)),
        message: `Too many concurrent requests (simulated): limit ${maxOpen} open at once.`,
      };
    }
    s.requests?.take(1, now);
    s.tokens?.take(tokens, now);
    const id = (this.#nextId += 1);
    s.open.set(id, now + durationMs);
    let released = false;
    return {
      admitted: true, headers: this.#headers(s, now), concurrent: s.open.size,
      release: () => {
        if (released) return;
        released = true;
        s.open.delete(id);
      },
    };
  }
}
