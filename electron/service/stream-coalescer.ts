// Coalesces streamed text into at most one event per interval per stream: the
// first piece goes out at once (no perceived latency), later pieces are batched,
// and the end of a stream is always flushed (with done = true), so nothing is
// lost and the renderer is never flooded.
export interface CoalescedPiece {
  key: string;
  text: string;
  done: boolean;
}

interface Pending {
  text: string;
  timer: NodeJS.Timeout | null;
  lastSent: number;
}

export class StreamCoalescer {
  readonly #intervalMs: number;
  readonly #send: (piece: CoalescedPiece) => void;
  readonly #now: () => number;
  readonly #streams = new Map<string, Pending>();

  constructor(intervalMs: number, send: (piece: CoalescedPiece) => void, now: () => number = Date.now) {
    this.#intervalMs = intervalMs;
    this.#send = send;
    this.#now = now;
  }

  push(key: string, text: string): void {
    if (!text) return;
    let s = this.#streams.get(key);
    if (!s) {
      s = { text: '', timer: null, lastSent: Number.NEGATIVE_INFINITY };
      this.#streams.set(key, s);
    }
    s.text += text;
    if (s.timer) return;
    const wait = s.lastSent + this.#intervalMs - this.#now();
    if (wait <= 0) this.#flush(key, false);
    else {
      s.timer = setTimeout(() => this.#flush(key, false), wait);
      s.timer.unref?.();
    }
  }

  /** The stream ended: send what is buffered now, marked done. */
  end(key: string): void {
    if (!this.#streams.has(key)) return;
    this.#flush(key, true);
    this.#streams.delete(key);
  }

  endAll(prefix = ''): void {
    for (const key of [...this.#streams.keys()]) if (key.startsWith(prefix)) this.end(key);
  }

  #flush(key: string, done: boolean): void {
    const s = this.#streams.get(key);
    if (!s) return;
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    if (!s.text && !done) return;
    const text = s.text;
    s.text = '';
    s.lastSent = this.#now();
    this.#send({ key, text, done });
  }
}
