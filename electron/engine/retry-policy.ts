// When to try a failed call again, and how long to wait first: the provider's
// Retry-After when it gives one, else exponential backoff with full jitter
// (delay = random(0, min(cap, base·2^(n-1)))), which spreads retries of many
// workers instead of synchronising them. A session-wide gate makes a 429 seen
// by one worker slow all of them.
import type { Clock } from './clock.ts';
import type { EngineError } from './errors.ts';

export interface RetryPolicyOptions {
  maxAttempts?: number;
  baseMs?: number;
  capMs?: number;
  random?: () => number;
}

export const DEFAULT_RETRY = { maxAttempts: 8, baseMs: 1_000, capMs: 60_000 } as const;

/**
 * Errors whose schedule is shorter than the general one, by code. A server that is not
 * running answers at once, so waiting a minute for it only hides the problem: a few tries
 * over at most 15 s, then the session pauses with the reason.
 */
const SHORT_SCHEDULES: Readonly<Record<string, { maxAttempts: number; baseMs: number; capMs: number }>> = {
  unreachable: { maxAttempts: 4, baseMs: 1_000, capMs: 4_000 },
};

/** Errors about the server rather than the request: once given up on, no other step can succeed either. */
export function affectsEveryStep(error: EngineError): boolean {
  return error.code === 'unreachable';
}

export type RetryDecision =
  | { retry: false }
  | { retry: true; delayMs: number; source: 'retry-after' | 'backoff' };

export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.floor(random() * exp);
}

export class RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  readonly #random: () => number;

  constructor(opts: RetryPolicyOptions = {}) {
    this.maxAttempts = opts.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
    this.baseMs = opts.baseMs ?? DEFAULT_RETRY.baseMs;
    this.capMs = opts.capMs ?? DEFAULT_RETRY.capMs;
    this.#random = opts.random ?? Math.random;
  }

  /** `attempt` is the 1-based number of the attempt that just failed. */
  decide(error: EngineError, attempt: number): RetryDecision {
    if (!error.retryable || attempt >= this.maxAttempts) return { retry: false };
    const short = SHORT_SCHEDULES[error.code];
    if (short) {
      if (attempt >= short.maxAttempts) return { retry: false };
      return { retry: true, delayMs: backoffDelay(attempt, Math.min(short.baseMs, this.baseMs), Math.min(short.capMs, this.capMs), this.#random), source: 'backoff' };
    }
    if (error.category === 'rate_limit' && error.retryAfterMs !== null) {
      // The provider said how long; waiting less only earns another 429.
      return { retry: true, delayMs: error.retryAfterMs, source: 'retry-after' };
    }
    return { retry: true, delayMs: backoffDelay(attempt, this.baseMs, this.capMs, this.#random), source: 'backoff' };
  }
}

/** Shared by every worker of one session: while closed, nobody sends. */
export class RateLimitGate {
  #until = 0;
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Keeps every worker waiting until at least `untilMs`. */
  closeUntil(untilMs: number): void {
    if (untilMs > this.#until) this.#until = untilMs;
  }

  closedUntil(): number | null {
    return this.#until > this.#clock.now() ? this.#until : null;
  }

  /** Waits while the gate is closed (it may be extended meanwhile). Returns the ms waited. */
  async pass(signal?: AbortSignal): Promise<number> {
    let waited = 0;
    for (let i = 0; i < 1_000; i += 1) {
      const left = this.#until - this.#clock.now();
      if (left <= 0) return waited;
      await this.#clock.sleep(left, signal);
      waited += left;
    }
    return waited;
  }
}
