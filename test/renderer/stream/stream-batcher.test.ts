import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStreamBatcher } from '../../../renderer/stream/stream-batcher.ts';
import { applyStreamEvents, connectStream, createStreamStore, type StreamEvent } from '../../../renderer/stream/stream-store.ts';

const SESSION = '01HX0000000000000000000001';
const ev = (text: string, over: Partial<StreamEvent> = {}): StreamEvent => ({ sessionId: SESSION, stepKey: 'map:0', attempt: 0, text, done: false, ...over });

describe('stream batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('paints the first chunk immediately, then at most once per interval', () => {
    const paints: string[][] = [];
    const b = createStreamBatcher<string>((items) => paints.push(items), 50);
    b.push('a');
    expect(paints).toEqual([['a']]);
    b.push('b');
    b.push('c');
    expect(paints).toHaveLength(1);
    vi.advanceTimersByTime(49);
    expect(paints).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(paints).toEqual([['a'], ['b', 'c']]);
  });

  it('coalesces 1,000 chunks over one second into about 20 paints', () => {
    let paints = 0;
    let items = 0;
    const b = createStreamBatcher<number>((batch) => { paints++; items += batch.length; }, 50);
    for (let i = 0; i < 1_000; i++) {
      b.push(i);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(50);
    expect(items).toBe(1_000);
    expect(paints).toBeGreaterThanOrEqual(19);
    expect(paints).toBeLessThanOrEqual(22);
  });

  it('always paints the last chunk: by timer, by flush, and on dispose', () => {
    const paints: string[][] = [];
    const b = createStreamBatcher<string>((items) => paints.push(items), 50);
    b.push('first');
    b.push('last');
    vi.advanceTimersByTime(50);
    expect(paints.at(-1)).toEqual(['last']);
    b.push('again');
    vi.advanceTimersByTime(10);
    b.push('final');
    b.flush();
    expect(paints.at(-1)).toEqual(['again', 'final']);
    b.push('tail');
    vi.advanceTimersByTime(10);
    b.push('end');
    b.dispose();
    expect(paints.at(-1)).toEqual(['tail', 'end']);
    b.push('after dispose');
    vi.advanceTimersByTime(100);
    expect(paints.at(-1)).toEqual(['tail', 'end']);
  });

  it('paints immediately again after a quiet period', () => {
    const paints: string[][] = [];
    const b = createStreamBatcher<string>((items) => paints.push(items), 50);
    b.push('a');
    vi.advanceTimersByTime(500);
    b.push('b');
    expect(paints).toEqual([['a'], ['b']]);
  });
});

describe('stream store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('appends deltas per step and starts over on a new attempt', () => {
    const store = createStreamStore();
    applyStreamEvents(store, [ev('Hello'), ev(' world')]);
    expect(store.getState().bySession[SESSION]?.['map:0']?.text).toBe('Hello world');
    applyStreamEvents(store, [ev('Retry', { attempt: 1 })]);
    expect(store.getState().bySession[SESSION]?.['map:0']).toMatchObject({ text: 'Retry', attempt: 1 });
  });

  it('flushes a done event at once even inside the interval', () => {
    const store = createStreamStore();
    let listener: ((e: StreamEvent) => void) | null = null;
    let renders = 0;
    store.subscribe(() => renders++);
    const off = connectStream(store, (l) => { listener = l; return () => { listener = null; }; }, 50);
    listener!(ev('a'));
    listener!(ev('b'));
    listener!(ev('c'));
    expect(renders).toBe(1);
    listener!(ev('d', { done: true }));
    expect(renders).toBe(2);
    expect(store.getState().bySession[SESSION]?.['map:0']).toMatchObject({ text: 'abcd', done: true });
    off();
    expect(listener).toBeNull();
  });
});
