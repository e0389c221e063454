// Persists streamed text through the store at most every `flushMs` (and at
// once whenever asked: error, abort, completion). Text is never held longer
// than one interval, so a crash loses at most `flushMs` of output plus the
// write in flight. The interval counts from when a write starts: a slow one
// (the first write of a resumed step first keeps the previous attempt's draft)
// does not push the next one later.
export type AppendPart = (text: string) => void;

export class StreamBatcher {
  readonly #append: AppendPart;
  readonly #flushMs: number;
  readonly #onError: (err: unknown) => void;
  #buffer = '';
  #lastFlush = 0;
  #timer: NodeJS.Timeout | null = null;
  #failed = false;
  /** Everything handed to the store so far. */
  persisted = '';

  /** `onError` hears about failures of timer-driven flushes; explicit flush() throws instead. */
  constructor(append: AppendPart, flushMs: number, onError: (err: unknown) => void) {
    this.#append = append;
    this.#flushMs = flushMs;
    this.#onError = onError;
  }

  add(text: string): void {
    if (text.length === 0 || this.#failed) return;
    this.#buffer += text;
    const due = this.#lastFlush + this.#flushMs - Date.now();
    if (due <= 0) {
      this.#flushFromTimer();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#flushFromTimer(), due);
    }
  }

  /** Writes what is buffered now. Throws what the store throws. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#buffer.length === 0 || this.#failed) return;
    const text = this.#buffer;
    const started = Date.now();
    try {
      this.#append(text);
    } catch (err) {
      this.#failed = true;
      throw err;
    }
    this.#buffer = '';
    this.persisted += text;
    this.#lastFlush = started;
  }

  /** Stops the timer without writing (after a store failure, or when discarding). */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #flushFromTimer(): void {
    try {
      this.flush();
    } catch (err) {
      this.#onError(err);
    }
  }
}
