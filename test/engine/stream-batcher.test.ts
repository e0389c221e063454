// The engine's stream batcher: what reaches the store, and when.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamBatcher } from '../../electron/engine/stream-batcher.ts';

describe('StreamBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('writes the first text at once, then at most once per interval, and everything on flush', () => {
    const writes: Array<[number, string]> = [];
    const b = new StreamBatcher((t) => writes.push([Date.now() - 1_000_000, t]), 250, () => undefined);
    b.add('a');
    b.add('b');
    expect(writes).toEqual([[0, 'a']]);
    vi.advanceTimersByTime(249);
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([[0, 'a'], [250, 'b']]);
    b.add('c');
    b.flush();
    expect(writes.at(-1)).toEqual([250, 'c']);
    expect(b.persisted).toBe('abc');
  });

  it('counts the interval from when a write starts: a slow first write does not hold the next text longer', () => {
    const writes: Array<[number, string]> = [];
    const b = new StreamBatcher((t) => {
      writes.push([Date.now() - 1_000_000, t]);
      // The first write of a resumed step keeps the previous attempt's draft first (the tokenizer loads: slow).
      if (writes.length === 1) vi.setSystemTime(Date.now() + 130);
    }, 250, () => undefined);
    b.add('first');
    b.add('second'); // arrived during the slow write, handled after it
    vi.advanceTimersByTime(119);
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([[0, 'first'], [250, 'second']]);
  });

  it('a failed timed write is reported and nothing more is written', () => {
    const errors: unknown[] = [];
    let calls = 0;
    const b = new StreamBatcher(() => {
      calls += 1;
      throw new Error('disk full');
    }, 250, (err) => errors.push(err));
    b.add('a');
    b.add('b');
    vi.advanceTimersByTime(1_000);
    expect(errors).toHaveLength(1);
    expect(calls).toBe(1);
  });
});
