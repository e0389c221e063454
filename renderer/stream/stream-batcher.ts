// Coalesces fast stream events into paints at most every `intervalMs`.
// The first item after a quiet period is painted at once (no visible lag on the
// first token); later items wait for the interval; `flush()` paints whatever is
// pending now, so the last chunk of a stream is never left behind.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface StreamBatcher<T> {
  push(item: T): void;
  /** Paint everything pending now (used for a stream's last chunk). */
  flush(): void;
  dispose(): void;
}

export function createStreamBatcher<T>(paint: (items: T[]) => void, intervalMs = 50, clock: Clock = realClock): StreamBatcher<T> {
  let pending: T[] = [];
  let lastPaint = Number.NEGATIVE_INFINITY;
  let timer: unknown = null;
  let disposed = false;

  const flush = () => {
    if (timer !== null) {
      clock.clearTimeout(timer);
      timer = null;
    }
    if (pending.length === 0 || disposed) return;
    const items = pending;
    pending = [];
    lastPaint = clock.now();
    paint(items);
  };

  return {
    push(item) {
      if (disposed) return;
      pending.push(item);
      const sinceLast = clock.now() - lastPaint;
      if (sinceLast >= intervalMs) {
        flush();
      } else if (timer === null) {
        timer = clock.setTimeout(flush, intervalMs - sinceLast);
      }
    },
    flush,
    dispose() {
      flush();
      disposed = true;
    },
  };
}
