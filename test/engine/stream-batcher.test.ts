// The engine's stream batcher: what reaches the store, and when.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamBatcher } from '../../electron/engine/stream-batcher.ts';

describe('StreamBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('writes the first text once the text that has arrived is taken, then at most once per interval, and everything on flush', () => {
    const writes: Array<[number, string]> = [];
    const b = new StreamBatcher((t) => writes.push([Date.now() - 1_000_000, t]), 250, () => undefined);
    b.add('a');
    b.add('b'); // arrived with 'a' (the same socket read)
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(0); // setImmediate: the pieces of this read are taken
    expect(writes).toEqual([[0, 'ab']]);
    b.add('c');
    vi.advanceTimersByTime(249);
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([[0, 'ab'], [250, 'c']]);
    b.add('d');
    b.flush();
    expect(writes.at(-1)).toEqual([250, 'd']);
    expect(b.persisted).toBe('abcd');
  });

  it('counts the interval from when a write starts: a slow write does not hold the next text longer', () => {
    const writes: Array<[number, string]> = [];
    const b = new StreamBatcher((t) => {
      writes.push([Date.now() - 1_000_000, t]);
      if (writes.length === 1) vi.setSystemTime(Date.now() + 130);
    }, 250, () => undefined);
    b.add('first');
    vi.advanceTimersByTime(0);
    b.add('second'); // arrived during the slow write, handled after it
    vi.advanceTimersByTime(119);
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([[0, 'first'], [250, 'second']]);
  });

  it('text that arrived during a write longer than the interval is written as one, as soon as it is taken', () => {
    const writes: string[] = [];
    const b = new StreamBatcher((t) => {
      writes.push(t);
      if (writes.length === 1) vi.setSystemTime(Date.now() + 400);
    }, 250, () => undefined);
    b.add('first');
    vi.advanceTimersByTime(0);
    // A burst that waited in the socket during the slow write: several pieces in one read.
    for (const piece of ['p1 ', 'p2 ', 'p3 ']) b.add(piece);
    expect(writes).toEqual(['first']);
    vi.advanceTimersByTime(0);
    expect(writes).toEqual(['first', 'p1 p2 p3 ']);
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
