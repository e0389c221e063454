// Persists streamed text through the store at most every `flushMs` (and at
// once whenever asked: error, abort, completion). Text is never held longer
// than one interval, so a crash loses at most `flushMs` of output plus the
// write in flight. The interval counts from when a write starts: a slow one
// does not push the next one later. A write that is due is made once the text
// that has already arrived is taken (setImmediate: after the pieces of one
// socket read are parsed), so a burst of pieces is one write, not a write of
// its first piece and a wait of a whole interval for the rest.
export type AppendPart = (text: string) => void;

export class StreamBatcher {
  readonly #append: AppendPart;
  readonly #flushMs: number;
  readonly #onError: (err: unknown) => void;
  #buffer = '';
  #lastFlush = 0;
  #timer: NodeJS.Timeout | null = null;
  #due: NodeJS.Immediate | null = null;
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
    if (this.#timer || this.#due) return;
    const wait = this.#lastFlush + this.#flushMs - Date.now();
    if (wait <= 0) this.#due = setImmediate(() => this.#flushFromTimer());
    else this.#timer = setTimeout(() => this.#flushFromTimer(), wait);
  }

  /** Writes what is buffered now. Throws what the store throws. */
  flush(): void {
    this.dispose();
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
    if (this.#due) clearImmediate(this.#due);
    this.#timer = null;
    this.#due = null;
  }

  #flushFromTimer(): void {
    try {
      this.flush();
    } catch (err) {
      this.#onError(err);
    }
  }
}
