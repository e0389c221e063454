// The fast-changing stream text lives in its own small store, so a token never
// re-renders the session list, the chunk rows or the timeline.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayload } from '../../shared/ipc/index.ts';
import { createStreamBatcher, type Clock, type StreamBatcher } from './stream-batcher.ts';

export type StreamEvent = EventPayload<'stream:text'>;

export interface LiveStream {
  stepKey: string;
  attempt: number;
  text: string;
  done: boolean;
}

/** Per session, the streams of its steps in arrival order. */
export interface StreamState {
  bySession: Record<string, Record<string, LiveStream>>;
  clear(sessionId: string): void;
}

/** Bound the text kept per step: a runaway stream must not grow memory without limit. */
const MAX_STREAM_CHARS = 400_000;

export function createStreamStore(): StoreApi<StreamState> {
  return createStore<StreamState>()((set) => ({
    bySession: {},
    clear: (sessionId) =>
      set((s) => {
        const next = { ...s.bySession };
        delete next[sessionId];
        return { bySession: next };
      }),
  }));
}

/** Apply a batch of stream events (deltas) in one store update. */
export function applyStreamEvents(store: StoreApi<StreamState>, events: StreamEvent[]): void {
  store.setState((s) => {
    const bySession = { ...s.bySession };
    for (const e of events) {
      const steps = { ...(bySession[e.sessionId] ?? {}) };
      const prev = steps[e.stepKey];
      // A new attempt replaces the interrupted text of the previous one.
      const base = prev && prev.attempt === e.attempt ? prev.text : '';
      let text = base + e.text;
      if (text.length > MAX_STREAM_CHARS) text = text.slice(text.length - MAX_STREAM_CHARS);
      steps[e.stepKey] = { stepKey: e.stepKey, attempt: e.attempt, text, done: e.done };
      bySession[e.sessionId] = steps;
    }
    return { bySession };
  });
}

/** Connect stream events to the store, painting at most every ~50 ms and flushing a stream's end at once. */
export function connectStream(
  store: StoreApi<StreamState>,
  subscribe: (listener: (e: StreamEvent) => void) => () => void,
  intervalMs = 50,
  clock?: Clock,
): () => void {
  const batcher: StreamBatcher<StreamEvent> = createStreamBatcher((events) => applyStreamEvents(store, events), intervalMs, clock);
  const unsubscribe = subscribe((e) => {
    batcher.push(e);
    if (e.done) batcher.flush();
  });
  return () => {
    unsubscribe();
    batcher.dispose();
  };
}
