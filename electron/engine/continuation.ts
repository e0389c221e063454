// The `continue` resume policy: the model gets the partial answer back and is
// asked to go on. Models often repeat the last few words first; the stitcher
// removes that overlap as the continuation streams in, so what is persisted
// and shown is always the clean joined text.
import { CONTINUATION_INSTRUCTION } from './simulator/generator.ts';
import type { ChatMessage } from './provider/client.ts';

export { CONTINUATION_INSTRUCTION };

/** Overlaps shorter than this are treated as coincidence (a shared "the "), not repetition. */
export const MIN_OVERLAP_CHARS = 8;
/** Longest repetition looked for; also how much of the start is held back while deciding. */
export const MAX_OVERLAP_CHARS = 400;

export function continuationMessages(messages: readonly ChatMessage[], partial: string): ChatMessage[] {
  return [...messages, { role: 'assistant', content: partial }, { role: 'user', content: CONTINUATION_INSTRUCTION }];
}

/** Length of the longest prefix of `next` that `prefix` ends with (≥ MIN_OVERLAP_CHARS), else 0. */
export function overlapLength(prefix: string, next: string): number {
  const max = Math.min(prefix.length, next.length, MAX_OVERLAP_CHARS);
  for (let k = max; k >= MIN_OVERLAP_CHARS; k -= 1) {
    if (prefix.endsWith(next.slice(0, k))) return k;
  }
  return 0;
}

export function stitch(prefix: string, continuation: string): string {
  return prefix + continuation.slice(overlapLength(prefix, continuation));
}

/** Streams a continuation, holding back its start only until the overlap is known. */
export class OverlapStitcher {
  readonly #tail: string;
  readonly #prefix: string;
  #held = '';
  #decided = false;

  constructor(prefix: string) {
    this.#prefix = prefix;
    this.#tail = prefix.slice(-MAX_OVERLAP_CHARS);
  }

  /** Returns the text that can be emitted now (possibly empty). */
  push(delta: string): string {
    if (this.#decided) return delta;
    this.#held += delta;
    // While the start could still be a repetition of the prefix's end, wait for more.
    if (this.#held.length < MAX_OVERLAP_CHARS && this.#tail.includes(this.#held)) return '';
    return this.#release();
  }

  /** Call when the stream ends (or fails): releases whatever is held. */
  end(): string {
    return this.#decided ? '' : this.#release();
  }

  #release(): string {
    this.#decided = true;
    const out = this.#held.slice(overlapLength(this.#prefix, this.#held));
    this.#held = '';
    return out;
  }
}
