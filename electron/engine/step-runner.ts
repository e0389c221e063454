// Runs one model step durably. A completed step is looked up by its memo key
// and never requested again; otherwise the answer is streamed, persisted as it
// arrives, and only counted as complete after a terminal event. Every failure
// is classified; retryable ones are retried under the retry policy with
// visible events, the rest stop the step with a reason a person can act on.
//
// Resume policy for a step found interrupted (a partial in the store):
// - 'restart' (default): request again from scratch. Simpler, and the result
//   is byte-identical to an uninterrupted run, which is what memoisation and
//   reproducible reports need. The partial is kept as an 'interrupted'
//   checkpoint so the user still sees the draft.
// - 'continue': send the partial back as an assistant message with a
//   continuation instruction and stitch, removing text the model repeats.
//   Cheaper on long answers, but the joined text can differ from a clean run.
import { EventEmitter } from 'node:events';
import type { Checkpoint, CheckpointKind, JsonValue, Reason, ResumePolicy, Usage } from '../../shared/domain.ts';
import type { CheckpointStoreApi, PartialStream } from '../store/types.ts';
import type { SessionBudget } from './budget.ts';
import { type Clock, realClock } from './clock.ts';
import { continuationMessages, OverlapStitcher } from './continuation.ts';
import { cancelledError, EngineError, noTerminalEventError } from './errors.ts';
import { memoKeyFor } from './memo-key.ts';
import { PriceTable } from './pricing.ts';
import type { ChatMessage, ProviderClient } from './provider/client.ts';
import { parseRateLimitHeaders, type RateLimitHeaders } from './provider/rate-limit-headers.ts';
import type { ProviderThrottle, ThrottleTicket } from './provider-throttle.ts';
import { affectsEveryStep, type RateLimitGate, RetryPolicy, type RetryPolicyOptions } from './retry-policy.ts';
import { StreamBatcher } from './stream-batcher.ts';
import { countChatTokens, countTokens } from './tokens.ts';

/** The store members the runner uses; the real store and test doubles both fit. */
export type StepStore = Pick<CheckpointStoreApi, 'appendStreamPart' | 'partial' | 'completeStep' | 'memoGet' | 'appendCheckpoint' | 'stepOnHeadPath'>;

export interface StepParameters {
  temperature?: number;
  maxTokens?: number;
}

export interface StepSpec {
  sessionId: string;
  stepKey: string;
  kind: CheckpointKind;
  task: string;
  messages: ChatMessage[];
  parameters?: StepParameters;
  /** Small structured state stored on the step's checkpoint. */
  state?: JsonValue;
  /** Answer length assumed by the budget check when maxTokens is not set. Default 1024. */
  expectedOutputTokens?: number;
  /** Context policy for a 400 context-length error: smaller messages to retry once with, or null to fail. */
  shrink?: (messages: ChatMessage[]) => ChatMessage[] | null;
}

export interface StepOutcome {
  output: string;
  usage: Usage;
  memoKey: string;
  memoHit: boolean;
  /** The step's checkpoint; on a memo hit, the one that first completed it. */
  checkpointId: string;
  /** Attempts made in this run (0 on a memo hit). */
  attempts: number;
  finishReason: string | null;
}

export type AttemptMode = 'fresh' | 'restart' | 'continue';

export interface StepEventMap {
  attempt: [{ sessionId: string; stepKey: string; attempt: number; try: number; maxAttempts: number; mode: AttemptMode }];
  delta: [{ sessionId: string; stepKey: string; attempt: number; text: string }];
  /** The store acknowledged a write: the first `chars` characters of this attempt's answer are on disk. */
  saved: [{ sessionId: string; stepKey: string; attempt: number; chars: number }];
  waiting: [{ sessionId: string; stepKey: string; until: string; untilMs: number; reason: Reason; source: 'retry-after' | 'backoff' | 'rate-limit-gate' }];
  draft: [{ sessionId: string; stepKey: string; attempt: number; checkpoint: Checkpoint; chars: number }];
  completed: [{ sessionId: string; stepKey: string; outcome: StepOutcome }];
  failed: [{ sessionId: string; stepKey: string; error: EngineError; attempts: number }];
}

export interface StepRunnerOptions {
  store: StepStore;
  client: ProviderClient;
  prices?: PriceTable;
  budget?: SessionBudget | null;
  /** Share one per session so a 429 slows every worker. */
  gate?: RateLimitGate | null;
  /** Share one per session: how many calls may be open at once and how fast they may start, learned from the provider. */
  throttle?: ProviderThrottle | null;
  retry?: RetryPolicy | RetryPolicyOptions;
  clock?: Clock;
  /** Longest time streamed text waits before it is persisted. Default 250 ms. */
  flushMs?: number;
  /** No bytes for this long mid-request is a stall. Default 60 s. */
  stallMs?: number;
  resumePolicy?: ResumePolicy;
}

interface AttemptResult {
  text: string;
  /** null when the stream ended with [DONE] but no finish_reason. */
  finishReason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
  /** Text the model produced in this attempt (before stitching), for usage estimates. */
  generated: string;
  /** The provider's limits as the response's headers stated them. */
  limits: RateLimitHeaders | null;
}

/** Carries what an attempt produced when it failed. */
class AttemptFailure extends Error {
  readonly error: EngineError;
  readonly text: string;
  readonly generated: string;
  constructor(error: EngineError, text: string, generated: string) {
    super(error.message);
    this.error = error;
    this.text = text;
    this.generated = generated;
  }
}

export class StepRunner extends EventEmitter<StepEventMap> {
  readonly #store: StepStore;
  readonly #client: ProviderClient;
  readonly #prices: PriceTable;
  readonly #budget: SessionBudget | null;
  readonly #gate: RateLimitGate | null;
  readonly #throttle: ProviderThrottle | null;
  readonly #retry: RetryPolicy;
  readonly #clock: Clock;
  readonly #flushMs: number;
  readonly #stallMs: number;
  readonly #policy: ResumePolicy;

  constructor(opts: StepRunnerOptions) {
    super();
    this.#store = opts.store;
    this.#client = opts.client;
    this.#prices = opts.prices ?? new PriceTable();
    this.#budget = opts.budget ?? null;
    this.#gate = opts.gate ?? null;
    this.#throttle = opts.throttle ?? null;
    this.#retry = opts.retry instanceof RetryPolicy ? opts.retry : new RetryPolicy(opts.retry);
    this.#clock = opts.clock ?? realClock;
    this.#flushMs = opts.flushMs ?? 250;
    this.#stallMs = opts.stallMs ?? 60_000;
    this.#policy = opts.resumePolicy ?? 'restart';
  }

  get model(): string {
    return this.#client.profile.model;
  }

  memoKey(spec: StepSpec): string {
    const p = spec.parameters ?? {};
    return memoKeyFor({
      messages: spec.messages,
      task: spec.task,
      model: this.model,
      parameters: { temperature: p.temperature, maxTokens: p.maxTokens },
    });
  }

  /** Runs the step to completion or throws an EngineError (after emitting `failed`). */
  async run(spec: StepSpec, signal?: AbortSignal): Promise<StepOutcome> {
    let tries = 0;
    try {
      const memoKey = this.memoKey(spec);
      const hit = this.#store.memoGet(memoKey);
      if (hit) {
        const outcome: StepOutcome = {
          output: hit.output, usage: hit.usage, memoKey, memoHit: true, checkpointId: hit.checkpointId, attempts: 0, finishReason: null,
        };
        this.emit('completed', { sessionId: spec.sessionId, stepKey: spec.stepKey, outcome });
        return outcome;
      }
      return await this.#runAttempts(spec, memoKey, signal, (n) => {
        tries = n;
      });
    } catch (err) {
      const error = err instanceof EngineError ? err : this.#client.classify(err);
      this.emit('failed', { sessionId: spec.sessionId, stepKey: spec.stepKey, error, attempts: tries });
      throw error;
    }
  }

  async #runAttempts(spec: StepSpec, memoKey: string, signal: AbortSignal | undefined, setTries: (n: number) => void): Promise<StepOutcome> {
    const partial = this.#store.partial(spec.sessionId, spec.stepKey);
    let attemptNo = partial?.attempt ?? 0;
    let prefix = '';
    let mode: AttemptMode = 'fresh';
    // Only a session with a spending limit needs estimates (and so the tokenizer) before the call.
    const limited = this.#budget !== null && this.#budget.limitUsd !== null;
    if (partial && partial.text.length > 0) {
      // The interrupted attempt was paid for: its draft carries an estimate of that cost, so the
      // session's spend (and its budget) counts it after a crash too.
      if (this.#policy === 'continue') {
        prefix = partial.text;
        mode = 'continue';
      } else {
        mode = 'restart';
      }
    }
    // The draft must be on the head path before the next attempt writes a part (the partial is then
    // the new attempt's) or completes (which deletes the old parts). It is kept before the call: its
    // cost estimate loads the tokenizer (100-700 ms, more under load, blocking the process), and any
    // text the provider sent during that time would wait off the disk. Before the call it only delays
    // the first token of a resumed step; nothing is streaming yet.
    if (partial && partial.text.length > 0) this.#keepDraftOnce(spec, partial); // when this throws, the step fails and the partial stays
    let messages = spec.messages;
    let shrunk = false;
    const params = spec.parameters ?? {};

    for (let tries = 1; ; tries += 1) {
      setTries(tries);
      if (signal?.aborted) throw cancelledError();
      await this.#passGate(spec, signal);

      const sent = prefix ? continuationMessages(messages, prefix) : messages;
      // Counted once an attempt, and only when the budget or the provider's token limit needs it.
      let sentTokens: number | null = null;
      const promptTokens = (): number => (sentTokens ??= countChatTokens(sent, this.model));
      const expectedOut = params.maxTokens ?? spec.expectedOutputTokens ?? 1024;
      const estimateUsd = limited ? this.#prices.cost(this.model, promptTokens(), expectedOut).usd : 0;
      const ticket = await this.#acquire(promptTokens, expectedOut, signal);
      let reservation: ReturnType<SessionBudget['reserve']> | null;
      try {
        reservation = this.#budget?.reserve(estimateUsd) ?? null;
      } catch (err) {
        if (ticket) this.#throttle?.released(ticket);
        throw err;
      }

      attemptNo += 1;
      this.emit('attempt', { sessionId: spec.sessionId, stepKey: spec.stepKey, attempt: attemptNo, try: tries, maxAttempts: this.#retry.maxAttempts, mode });
      let result: AttemptResult;
      try {
        result = await this.#attempt(spec, sent, attemptNo, prefix, memoKey, signal);
      } catch (err) {
        const failure = err instanceof AttemptFailure ? err : new AttemptFailure(this.#client.classify(err), prefix, '');
        if (ticket) {
          if (failure.error.category === 'rate_limit') this.#throttle?.rateLimited(ticket, failure.error.rateLimits);
          else this.#throttle?.released(ticket);
        }
        const paidUsage = failure.generated.length > 0
          ? this.#prices.usage(this.model, countChatTokens(sent, this.model), countTokens(failure.generated, this.model), true)
          : null;
        if (reservation) reservation.commit(paidUsage?.costUsd ?? 0);
        const e = failure.error;
        if (e.category === 'model_not_found') throw await this.#client.withAvailableModels(e);
        if (e.category === 'context_length' && !shrunk && spec.shrink) {
          const smaller = spec.shrink(messages);
          if (smaller) {
            messages = smaller;
            shrunk = true;
            prefix = '';
            continue;
          }
        }
        if (!e.retryable) throw e;

        // Keep what this attempt produced according to the policy.
        if (failure.text.length > 0) {
          // The draft records what the failed attempt cost (estimated), whatever the policy.
          this.#keepDraft(spec, attemptNo, failure.text, paidUsage);
          if (this.#policy === 'continue') {
            prefix = failure.text;
            mode = 'continue';
          } else {
            mode = 'restart';
          }
        }

        const decision = this.#retry.decide(e, tries);
        if (!decision.retry) {
          throw new EngineError({
            category: e.category, code: affectsEveryStep(e) ? e.code : 'attempts_exhausted', status: e.status, retryAfterMs: e.retryAfterMs, cause: e,
            message: `Gave up on this step after ${tries} attempts. Last error: ${e.message}`,
            hint: 'The partial answer is kept. Resume the session later to try again.',
          });
        }
        const untilMs = this.#clock.now() + decision.delayMs;
        if (e.category === 'rate_limit' && this.#gate) {
          // The gate makes every worker of the session wait, this one included (at the top of the loop).
          this.#gate.closeUntil(untilMs);
        } else {
          this.emit('waiting', { sessionId: spec.sessionId, stepKey: spec.stepKey, until: new Date(untilMs).toISOString(), untilMs, reason: e.toReason(), source: decision.source });
          await this.#sleep(decision.delayMs, signal);
        }
        continue;
      }

      if (ticket) this.#throttle?.succeeded(ticket, result.limits, result.usage?.completion_tokens ?? null);
      const usage = this.#usageFor(sent, result);
      try {
        const checkpoint = this.#store.completeStep(spec.sessionId, {
          stepKey: spec.stepKey,
          attempt: attemptNo,
          kind: spec.kind,
          memoKey,
          state: spec.state ?? null,
          usage,
          output: result.text,
        });
        reservation?.commit(usage.costUsd);
        const outcome: StepOutcome = {
          output: result.text, usage, memoKey, memoHit: false, checkpointId: checkpoint.id, attempts: tries, finishReason: result.finishReason,
        };
        this.emit('completed', { sessionId: spec.sessionId, stepKey: spec.stepKey, outcome });
        return outcome;
      } catch (err) {
        reservation?.commit(usage.costUsd);
        throw this.#client.classify(err);
      }
    }
  }

  #usageFor(sent: readonly ChatMessage[], r: AttemptResult): Usage {
    if (r.usage) return this.#prices.usage(this.model, r.usage.prompt_tokens, r.usage.completion_tokens, false);
    return this.#prices.usage(this.model, countChatTokens(sent, this.model), countTokens(r.generated, this.model), true);
  }

  async #passGate(spec: StepSpec, signal: AbortSignal | undefined): Promise<void> {
    const until = this.#gate?.closedUntil() ?? null;
    if (until === null || !this.#gate) return;
    this.emit('waiting', {
      sessionId: spec.sessionId, stepKey: spec.stepKey, until: new Date(until).toISOString(), untilMs: until, source: 'rate-limit-gate',
      reason: { code: 'rate_limit', message: `${this.#client.profile.name} is rate limiting this session; every call waits for its retry time, then continues.` },
    });
    try {
      await this.#gate.pass(signal);
    } catch {
      throw cancelledError();
    }
  }

  /** Waits for the throttle's leave to call; null when the session has no throttle. */
  async #acquire(promptTokens: () => number, expectedOut: number, signal: AbortSignal | undefined): Promise<ThrottleTicket | null> {
    if (!this.#throttle) return null;
    try {
      return await this.#throttle.acquire(promptTokens, expectedOut, signal);
    } catch {
      throw cancelledError();
    }
  }

  async #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.#clock.sleep(ms, signal);
    } catch {
      throw cancelledError();
    }
  }

  #keepDraft(spec: StepSpec, attempt: number, text: string, usage: Usage | null): void {
    const checkpoint = this.#store.appendCheckpoint(spec.sessionId, {
      kind: 'interrupted',
      stepKey: spec.stepKey,
      state: { attempt, policy: this.#policy },
      output: text,
      ...(usage ? { usage } : {}),
    });
    this.emit('draft', { sessionId: spec.sessionId, stepKey: spec.stepKey, attempt, checkpoint, chars: text.length });
  }

  /** After a crash the same partial is found again on every resume; keep its draft only once. */
  #keepDraftOnce(spec: StepSpec, partial: PartialStream): void {
    const already = this.#store.stepOnHeadPath(spec.sessionId, 'interrupted', spec.stepKey).some((cp) => {
      const s = cp.state;
      return typeof s === 'object' && s !== null && !Array.isArray(s) && s['attempt'] === partial.attempt;
    });
    if (already) return;
    // What the killed attempt cost is not known; estimate it from the request and the text received.
    const usage = this.#prices.usage(this.model, countChatTokens(spec.messages, this.model), countTokens(partial.text, this.model), true);
    this.#keepDraft(spec, partial.attempt, partial.text, usage);
    this.#budget?.add(usage.costUsd);
  }

  async #attempt(
    spec: StepSpec, sent: ChatMessage[], attempt: number, prefix: string, memoKey: string, signal: AbortSignal | undefined,
  ): Promise<AttemptResult> {
    const controller = new AbortController();
    const onUserAbort = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) onUserAbort();
    signal?.addEventListener('abort', onUserAbort, { once: true });

    let stalled = false;
    const stallTimer = setTimeout(() => {
      stalled = true;
      controller.abort(new Error('stalled'));
    }, this.#stallMs);
    let storeError: unknown = null;
    const batcher = new StreamBatcher(
      (text) => {
        this.#store.appendStreamPart(spec.sessionId, spec.stepKey, attempt, text);
        this.emit('saved', { sessionId: spec.sessionId, stepKey: spec.stepKey, attempt, chars: batcher.persisted.length + text.length });
      },
      this.#flushMs,
      (err) => {
        storeError = err;
        controller.abort(err);
      },
    );
    // The SDK swallows `data: [DONE]`; watch the raw bytes for it, since it is a terminal event too.
    const decoder = new TextDecoder();
    let rawTail = '';
    let sawDone = false;
    const onBytes = (bytes: Uint8Array): void => {
      stallTimer.refresh();
      const seen = rawTail + decoder.decode(bytes, { stream: true });
      if (/(^|\n)data: ?\[DONE\]/.test(seen)) sawDone = true;
      rawTail = seen.slice(-32);
    };
    const stitcher = prefix ? new OverlapStitcher(prefix) : null;
    let text = prefix;
    let generated = '';
    let finishReason: string | null = null;
    let usage: AttemptResult['usage'] = null;
    let limits: RateLimitHeaders | null = null;
    const take = (piece: string): void => {
      if (!piece) return;
      text += piece;
      // Shown at once; persisted by the batcher, within one interval.
      try {
        this.emit('delta', { sessionId: spec.sessionId, stepKey: spec.stepKey, attempt, text: piece });
      } finally {
        batcher.add(piece);
      }
    };
    // The new attempt's parts start with the kept prefix so the store's partial is always the whole answer so far.
    if (prefix) batcher.add(prefix);

    try {
      const params = spec.parameters ?? {};
      const stream = await this.#client.openStream(
        { messages: sent, temperature: params.temperature, maxTokens: params.maxTokens },
        { signal: controller.signal, onBytes, requestKey: memoKey, onHeaders: (h) => { limits = parseRateLimitHeaders(h); } },
      );
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = choice?.delta?.content;
        if (delta) {
          generated += delta;
          take(stitcher ? stitcher.push(delta) : delta);
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) usage = { prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens };
      }
      if (stitcher) take(stitcher.end());
      if (storeError !== null) throw storeError;
      if (stalled || controller.signal.aborted) throw controller.signal.reason ?? new Error('aborted');
      if (finishReason === null && !sawDone) throw noTerminalEventError(this.#client.errorContext());
      batcher.flush();
      return { text, finishReason, usage, generated, limits };
    } catch (err) {
      if (stitcher) take(stitcher.end());
      let error: EngineError;
      try {
        batcher.flush();
        error = storeError !== null
          ? this.#client.classify(storeError)
          : signal?.aborted && !stalled
            ? cancelledError()
            : this.#client.classify(err, { stalled, stallMs: this.#stallMs, nowMs: this.#clock.now() });
      } catch (flushErr) {
        error = this.#client.classify(flushErr);
      }
      throw new AttemptFailure(error, text, generated);
    } finally {
      clearTimeout(stallTimer);
      batcher.dispose();
      signal?.removeEventListener('abort', onUserAbort);
    }
  }
}
