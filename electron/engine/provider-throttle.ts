// How fast one session may call its provider, learned from the provider
// itself. Two things decide when the next call may start:
// - how many calls are open at once: AIMD, like TCP's congestion window.
//   A 429 that is not about the per-minute allowance halves the window (once:
//   the other calls that were already open when it came do not halve it
//   again); every window's worth of successes adds one, up to the session's
//   configured concurrency. Back at the size that was refused, growing takes
//   PROBE_FACTOR times longer, so a hard cap on open streams costs a 429 now
//   and then, not every few calls.
// - the provider's per-minute allowances, from its `x-ratelimit-*` headers:
//   a local bucket per limit refills at limit/60 s and is corrected down to
//   what the provider says is left, so a call that would be refused waits
//   here instead of earning a 429.
// The retry policy and the rate-limit gate still handle the 429s that get through.
import { EventEmitter } from 'node:events';
import type { ProviderLimits } from '../../shared/provider-limits.ts';
import type { Clock } from './clock.ts';
import type { LimitState, RateLimitHeaders } from './provider/rate-limit-headers.ts';
import { TokenBucket } from './token-bucket.ts';

const PROBE_FACTOR = 8;

export interface ThrottleEventMap {
  /** The provider's per-minute limits became known or changed, or the window did. */
  limits: [ProviderLimits];
}

/** A bucket for one of the provider's per-minute limits, as its headers describe it. */
class HeaderBucket extends TokenBucket {
  constructor(state: LimitState, now: number) {
    super(state.perMinute, Math.max(1, state.remaining + (state.resetMs * state.perMinute) / 60_000), state.remaining, now);
  }

  /**
   * What the provider says, and never more than it has left (it does not yet count calls sent after this
   * one). `remaining` is rounded down; the reset time is finer: the bucket is the largest
   * remaining + reset × rate seen, and what is left is that less the reset's worth.
   */
  observe(state: LimitState, now: number): void {
    this.refill(now);
    this.perMinuteRate = state.perMinute;
    this.capacityValue = Math.max(this.capacityValue, state.remaining + state.resetMs * this.ratePerMs);
    this.level = Math.min(this.level, Math.max(state.remaining, this.capacityValue - state.resetMs * this.ratePerMs));
  }
}

/** One call the throttle let through; hand it back with how it ended. */
export interface ThrottleTicket {
  readonly startedAt: number;
  /** Tokens this call was counted at (0 when no token limit was known). */
  readonly tokens: number;
  /** Calls open when it started, itself included. */
  readonly openAtStart: number;
}

export class ProviderThrottle extends EventEmitter<ThrottleEventMap> {
  readonly #clock: Clock;
  readonly #max: number;
  #window: number;
  #open = 0;
  #successes = 0;
  #lastDecrease = Number.NEGATIVE_INFINITY;
  /** The fewest calls open at once that the provider refused one for. */
  #refusedAt: number | null = null;
  #requests: HeaderBucket | null = null;
  #tokens: HeaderBucket | null = null;
  #completionTokens: number | null = null;
  #wake: Array<() => void> = [];

  constructor(maxConcurrency: number, clock: Clock) {
    super();
    this.#clock = clock;
    this.#max = Math.max(1, Math.floor(maxConcurrency));
    this.#window = this.#max;
  }

  /** Calls that may be open at once now. */
  get concurrency(): number {
    return Math.max(1, Math.floor(this.#window));
  }

  get open(): number {
    return this.#open;
  }

  /** Whether a tokens-per-minute limit is known, so a call's token count is worth computing. */
  get countsTokens(): boolean {
    return this.#tokens !== null;
  }

  /** Average answer length seen so far, for a call's token estimate. */
  get expectedCompletionTokens(): number | null {
    return this.#completionTokens;
  }

  /**
   * Waits until a call may start: a free place in the window and, when the provider's limits are known,
   * one request and `promptTokens()` plus an answer's worth of tokens in its allowance.
   */
  async acquire(promptTokens: () => number, fallbackCompletionTokens: number, signal?: AbortSignal): Promise<ThrottleTicket> {
    let cost: number | null = null;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (this.#open >= this.concurrency) {
        await this.#changed(signal);
        continue;
      }
      const now = this.#clock.now();
      if (this.#tokens && cost === null) cost = promptTokens() + (this.#completionTokens ?? fallbackCompletionTokens);
      const wait = Math.max(this.#requests?.waitFor(1, now) ?? 0, this.#tokens?.waitFor(cost ?? 0, now) ?? 0);
      if (wait > 0) {
        await this.#clock.sleep(wait, signal);
        continue;
      }
      this.#requests?.take(1, now);
      if (cost !== null) this.#tokens?.take(cost, now);
      this.#open += 1;
      return { startedAt: now, tokens: cost ?? 0, openAtStart: this.#open };
    }
  }

  /** The call succeeded; `completionTokens` is the answer's length when known. */
  succeeded(_ticket: ThrottleTicket, headers: RateLimitHeaders | null, completionTokens: number | null): void {
    this.#observe(headers);
    if (completionTokens !== null) {
      this.#completionTokens = this.#completionTokens === null ? completionTokens : Math.round(this.#completionTokens * 0.8 + completionTokens * 0.2);
    }
    this.#successes += 1;
    const probing = this.#refusedAt !== null && this.concurrency + 1 >= this.#refusedAt;
    if (this.#successes >= this.concurrency * (probing ? PROBE_FACTOR : 1) && this.#window < this.#max) {
      this.#successes = 0;
      this.#window = Math.min(this.#max, this.#window + 1);
      this.#emitLimits();
    }
    this.#release();
  }

  /**
   * The provider refused the call (429). When its headers say the allowance is spent, the buckets now know
   * and pace the calls; otherwise (too many open at once, or a provider that does not say) the window halves,
   * once for all the calls open when it came.
   */
  rateLimited(ticket: ThrottleTicket, headers: RateLimitHeaders | null): void {
    this.#observe(headers);
    // Half the estimate: Cairn's count of a call's tokens and the provider's differ a little either way.
    const spent = (headers?.requests ? headers.requests.remaining < 1 : false) || (headers?.tokens ? headers.tokens.remaining < Math.max(1, ticket.tokens / 2) : false);
    if (!spent) this.#refusedAt = Math.min(this.#refusedAt ?? ticket.openAtStart, ticket.openAtStart);
    if (!spent && ticket.startedAt >= this.#lastDecrease) {
      this.#lastDecrease = this.#clock.now();
      this.#window = Math.max(1, Math.floor(this.#window / 2));
      this.#successes = 0;
      this.#emitLimits();
    }
    this.#release();
  }

  /** The call ended some other way. */
  released(_ticket: ThrottleTicket): void {
    this.#release();
  }

  limits(): ProviderLimits {
    return { requestsPerMinute: this.#requests?.perMinute ?? null, tokensPerMinute: this.#tokens?.perMinute ?? null, concurrency: this.concurrency, maxConcurrency: this.#max };
  }

  #observe(headers: RateLimitHeaders | null): void {
    if (!headers) return;
    const now = this.#clock.now();
    const before = this.limits();
    if (headers.requests) {
      if (this.#requests) this.#requests.observe(headers.requests, now);
      else this.#requests = new HeaderBucket(headers.requests, now);
    }
    if (headers.tokens) {
      if (this.#tokens) this.#tokens.observe(headers.tokens, now);
      else this.#tokens = new HeaderBucket(headers.tokens, now);
    }
    const after = this.limits();
    if (after.requestsPerMinute !== before.requestsPerMinute || after.tokensPerMinute !== before.tokensPerMinute) this.#emitLimits();
  }

  #emitLimits(): void {
    this.emit('limits', this.limits());
  }

  #release(): void {
    this.#open = Math.max(0, this.#open - 1);
    const wake = this.#wake;
    this.#wake = [];
    for (const w of wake) w();
  }

  #changed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#wake.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}
