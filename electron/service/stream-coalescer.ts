// Coalesces streamed text into at most one event per interval per stream: the
// first piece goes out at once (no perceived latency), later pieces are batched,
// a stream's end is flushed at once, and nothing is dropped (text held back is
// concatenated into the next event). The engine process does this once, before
// text crosses to main and the window.
import { performance } from 'node:perf_hooks';

export interface StreamText {
  sessionId: string;
  stepKey: string;
  attempt: number;
  text: string;
  done: boolean;
}

const MAX_EVENT_TEXT = 1_000_000;

export class StreamCoalescer {
  readonly #emit: (payload: StreamText) => void;
  readonly #intervalMs: number;
  readonly #streams = new Map<string, { sessionId: string; stepKey: string; attempt: number; lastEmit: number; pending: StreamText | null; timer: ReturnType<typeof setTimeout> | null }>();

  readonly #now: () => number;

  /** `now` is a monotonic clock in ms (tests pass a virtual one). */
  constructor(emit: (payload: StreamText) => void, intervalMs = 50, now: () => number = () => performance.now()) {
    this.#emit = emit;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  push(chunk: StreamText): void {
    const key = `${chunk.sessionId}\u0000${chunk.stepKey}`;
    let s = this.#streams.get(key);
    if (!s) {
      s = { sessionId: chunk.sessionId, stepKey: chunk.stepKey, attempt: chunk.attempt, lastEmit: -Infinity, pending: null, timer: null };
      this.#streams.set(key, s);
    }
    s.attempt = chunk.attempt;
    // A new attempt is a different text: never glue it onto the old one.
    if (s.pending && (s.pending.attempt !== chunk.attempt || s.pending.text.length + chunk.text.length > MAX_EVENT_TEXT)) this.#flush(key);
    s.pending = s.pending ? { ...s.pending, text: s.pending.text + chunk.text, done: chunk.done } : { ...chunk };
    const now = this.#now();
    if (chunk.done || now - s.lastEmit >= this.#intervalMs) {
      this.#flush(key);
      return;
    }
    s.timer ??= setTimeout(() => this.#flush(key), Math.max(0, s.lastEmit + this.#intervalMs - now));
  }

  /** Emits everything held back (used before quitting and when the engine dies). */
  flushAll(): void {
    for (const key of [...this.#streams.keys()]) this.#flush(key);
  }

  /** Ends every stream of a session (or of all sessions): what is held back goes out, marked done. */
  endAll(sessionId?: string): void {
    for (const s of [...this.#streams.values()]) {
      if (sessionId === undefined || s.sessionId === sessionId) this.push({ sessionId: s.sessionId, stepKey: s.stepKey, attempt: s.attempt, text: '', done: true });
    }
  }

  #flush(key: string): void {
    const s = this.#streams.get(key);
    if (!s) return;
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    const payload = s.pending;
    s.pending = null;
    if (payload) {
      s.lastEmit = this.#now();
      this.#emit(payload);
      if (payload.done) this.#streams.delete(key);
    }
  }
}
