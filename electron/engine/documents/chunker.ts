// Splits an ingested document into chunks that fit a model's token budget,
// counted with the model family's real tokenizer. Cuts prefer, in order: a
// section start (heading or page), a paragraph, a line or sentence, a word; a
// chunk never ends inside a word (the one exception: a single "word" longer
// than the whole budget, such as an embedded blob, which must be split).
// Each chunk after the first starts with about `overlapTokens` of the end of
// the previous one, cut at a word boundary. Pure and deterministic: the same
// text, source map and options give the same chunks and hashes.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { tokenizerFor, type Tokenizer } from '../tokens.ts';
import { chunkOrdinalLabel, pageLabel, sectionKey, sectionLabel } from './section-label.ts';
import type { IngestedDocument, SourceSegment } from './types.ts';

export const ChunkOptionsSchema = z
  .strictObject({
    model: z.string().min(1).max(200),
    chunkTokens: z.number().int().min(32).max(1_000_000),
    overlapTokens: z.number().int().min(0),
  })
  .refine((o) => o.overlapTokens <= Math.floor(o.chunkTokens / 2), {
    message: 'overlapTokens must be at most half of chunkTokens, so every chunk still brings new text',
    path: ['overlapTokens'],
  });
export type ChunkOptions = z.infer<typeof ChunkOptionsSchema>;

export interface ChunkSource {
  /** Pages the chunk's text comes from (paged documents only), ascending. */
  pages: number[];
  /** Heading path of the section holding most of the chunk's new (non-overlap) text. */
  headingPath: string[];
  /** Keys of every section the chunk touches, in order ("3.1", "3.2", "Schedule 2"...). */
  sections: string[];
  /** What a report cites: "p. 12", "pp. 12–13", "§ 3.2", or "chunk 4" when there is neither page nor heading. */
  label: string;
}

export interface Chunk {
  index: number;
  text: string;
  tokens: number;
  /** Offsets into the document's text: text === doc.text.slice(start, end). */
  start: number;
  end: number;
  /** sha256 (hex) of `text`. */
  hash: string;
  source: ChunkSource;
}

export type ChunkableDocument = Pick<IngestedDocument, 'text' | 'sourceMap' | 'pages'>;

/** Boundary strength before a word: which cut points are preferred. */
const SECTION = 4;
const PARAGRAPH = 3;
const LINE_OR_SENTENCE = 2;
const WORD = 1;
const INSIDE_WORD = 0;
/** A preferred boundary is only taken if the chunk is at least this full; otherwise the chunk is filled up to the budget. */
const MIN_FILL = 0.5;

const ABBREVIATION = /^(?:e\.g|i\.e|etc|no|nos|mr|mrs|ms|dr|st|vs|cf|p|pp|art|sec|cl|para|inc|ltd|co|fig|approx|[A-Za-z])\.$/i;
const SENTENCE_END = /[.!?]["')\]»”’]*$/;

/** Per word of the text, in typed arrays (a 50 MB text has millions of words: plain arrays of numbers cost several times more). */
interface Words {
  starts: Int32Array;
  ends: Int32Array;
  /** strength[k]: how good a cut is just before word k. */
  strength: Uint8Array;
  /** prefix[k]: estimated tokens of words 0..k-1, each with its leading whitespace. */
  prefix: Float64Array;
}

/** Appends to typed arrays, growing them by half as needed; `done()` gives them trimmed to what was written. */
class WordTable {
  #n = 0;
  #starts: Int32Array;
  #ends: Int32Array;
  #strength: Uint8Array;
  #prefix: Float64Array;
  constructor(expected: number) {
    const cap = Math.max(16, expected);
    this.#starts = new Int32Array(cap);
    this.#ends = new Int32Array(cap);
    this.#strength = new Uint8Array(cap);
    this.#prefix = new Float64Array(cap + 1);
  }

  get length(): number {
    return this.#n;
  }

  push(start: number, end: number, strength: number, total: number): void {
    if (this.#n === this.#starts.length) this.#grow();
    this.#starts[this.#n] = start;
    this.#ends[this.#n] = end;
    this.#strength[this.#n] = strength;
    this.#n += 1;
    this.#prefix[this.#n] = total;
  }

  #grow(): void {
    const cap = Math.ceil(this.#starts.length * 1.5);
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T, size: number): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.#starts = grow(this.#starts, (n) => new Int32Array(n), cap);
    this.#ends = grow(this.#ends, (n) => new Int32Array(n), cap);
    this.#strength = grow(this.#strength, (n) => new Uint8Array(n), cap);
    this.#prefix = grow(this.#prefix, (n) => new Float64Array(n), cap + 1);
  }

  done(): Words {
    const n = this.#n;
    return { starts: this.#starts.slice(0, n), ends: this.#ends.slice(0, n), strength: this.#strength.slice(0, n), prefix: this.#prefix.slice(0, n + 1) };
  }
}

/** Distinct pieces whose token counts are remembered; past this the memo starts afresh, so its size stays bounded. */
const MAX_CACHED_PIECES = 200_000;

/** Words (or chunks) done between two chances for the async chunker to yield to the event loop. */
const YIELD_EVERY = 4_096;

export function chunkDocument(doc: ChunkableDocument, options: ChunkOptions): Chunk[] {
  const steps = chunkSteps(doc, options);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/**
 * The same chunks as chunkDocument, yielding to the event loop as it goes, so a long document
 * (tens of MB) can be cancelled within a moment: `signal` is checked at every yield, and an abort
 * rejects with `onAbort()` (default: the signal's reason).
 */
export async function chunkDocumentAsync(doc: ChunkableDocument, options: ChunkOptions, signal?: AbortSignal, onAbort?: () => unknown): Promise<Chunk[]> {
  const steps = chunkSteps(doc, options);
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw onAbort ? onAbort() : signal.reason;
  }
}

/** The chunking itself, pausing (yielding) every YIELD_EVERY words and chunks; returns the chunks. */
function* chunkSteps(doc: ChunkableDocument, options: ChunkOptions): Generator<void, Chunk[]> {
  const parsed = ChunkOptionsSchema.safeParse(options);
  if (!parsed.success) throw new RangeError(`Invalid chunking settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { model, chunkTokens: budget, overlapTokens } = parsed.data;
  const tokenizer = tokenizerFor(model);
  const words = yield* splitWords(doc, tokenizer, budget);
  const n = words.starts.length;
  const chunks: Chunk[] = [];

  const est = (from: number, to: number): number => (words.prefix[to + 1] ?? 0) - (words.prefix[from] ?? 0);
  const exact = (from: number, to: number): number => tokenizer.count(doc.text.slice(words.starts[from], words.ends[to]));

  let first = 0; // first word of new content
  let from = 0; // first word of the chunk, overlap included
  while (first < n) {
    // Fit by estimate, prefer the strongest boundary, then check with the real count; if the estimate
    // was optimistic, tighten it and choose the cut again (so a heading is never left at a chunk end).
    let target = budget;
    let last: number;
    let tokens: number;
    for (;;) {
      last = maxFit(words, from, target);
      if (last < first && from < first) {
        from = first; // the overlap leaves no room: drop it rather than stall
        continue;
      }
      last = Math.max(last, first);
      if (last < n - 1) last = preferredCut(words, from, first, last, target) - 1;
      tokens = exact(from, last);
      if (tokens <= budget || (last === first && from === first)) break;
      target -= Math.max(1, tokens - budget);
    }

    const start = words.starts[from] ?? 0;
    const end = words.ends[last] ?? start;
    const text = doc.text.slice(start, end);
    chunks.push({
      index: chunks.length,
      text,
      tokens,
      start,
      end,
      hash: createHash('sha256').update(text).digest('hex'),
      source: describeSource(doc, start, words.starts[first] ?? start, end, chunks.length),
    });

    // The next chunk starts with the longest run of this chunk's last words that fits in overlapTokens,
    // never reaching back to this chunk's first new word, so every chunk advances.
    const next = last + 1;
    from = next;
    while (overlapTokens > 0 && from - 1 > first && est(from - 1, last) <= overlapTokens) from--;
    first = next;
    if (chunks.length % YIELD_EVERY === 0) yield;
  }
  return chunks;
}

/** Largest word index `last` such that words from..last fit the budget by estimate (at least `from - 1`). */
function maxFit(words: Words, from: number, budget: number): number {
  const limit = (words.prefix[from] ?? 0) + budget;
  let lo = from - 1;
  let hi = words.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((words.prefix[mid + 1] ?? Infinity) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The index of the word the next chunk should start at: the strongest boundary once the chunk is at least MIN_FILL full, latest among equals. */
function preferredCut(words: Words, from: number, first: number, last: number, budget: number): number {
  const minTokens = (words.prefix[from] ?? 0) + budget * MIN_FILL;
  let best = last + 1;
  let bestStrength = words.strength[last + 1] ?? WORD;
  for (let k = last; k > first; k--) {
    if ((words.prefix[k] ?? 0) < minTokens) break;
    const s = words.strength[k] ?? WORD;
    if (s > bestStrength) {
      best = k;
      bestStrength = s;
    }
  }
  return best;
}

function* splitWords(doc: ChunkableDocument, tokenizer: Tokenizer, budget: number): Generator<void, Words> {
  const { text } = doc;
  const segmentStarts = new Set(doc.sourceMap.map((s) => s.start));
  const headingEnds = new Set<number>();
  for (const seg of doc.sourceMap) {
    const heading = seg.headingPath.at(-1);
    if (heading !== undefined && text.startsWith(heading, seg.start)) headingEnds.add(seg.start + heading.length);
  }
  const cache = new Map<string, number>();
  const count = (piece: string): number => {
    let c = cache.get(piece);
    if (c === undefined) {
      c = tokenizer.count(piece);
      if (cache.size >= MAX_CACHED_PIECES) cache.clear();
      cache.set(piece, c);
    }
    return c;
  };
  const maxPiece = Math.max(1, Math.floor(budget / 2));

  // About six characters a word in prose: a first guess at the table's size, grown as needed.
  const table = new WordTable(Math.ceil(text.length / 6));
  let total = 0;
  let previousEnd = 0;
  let previousWord = '';
  const push = (start: number, end: number, strength: number, tokens: number): void => {
    total += tokens;
    table.push(start, end, strength, total);
  };

  for (const match of text.matchAll(/\S+/g)) {
    const start = match.index;
    const word = match[0];
    const end = start + word.length;
    const gap = text.slice(previousEnd, start);
    let strength = WORD;
    if (table.length > 0) {
      if (headingEnds.has(previousEnd)) strength = WORD; // keep a heading with what follows it, even a sub-heading
      else if (segmentStarts.has(start)) strength = SECTION;
      else if (gap.includes('\n\n')) strength = PARAGRAPH;
      else if (gap.includes('\n')) strength = LINE_OR_SENTENCE;
      else if (SENTENCE_END.test(previousWord) && !ABBREVIATION.test(previousWord) && /^["'([«“‘]?[\p{Lu}\d]/u.test(word)) strength = LINE_OR_SENTENCE;
    }
    const tokens = count(gap + word);
    if (tokens <= maxPiece) {
      push(start, end, strength, tokens);
    } else {
      // A "word" too long to share a chunk (a blob, a URL list without spaces): split it into pieces.
      let pieceStart = start;
      let pieceStrength = strength;
      while (pieceStart < end) {
        const pieceEnd = longestPrefixWithin(text, pieceStart, end, maxPiece, tokenizer);
        push(pieceStart, pieceEnd, pieceStrength, tokenizer.count(text.slice(pieceStart, pieceEnd)));
        pieceStart = pieceEnd;
        pieceStrength = INSIDE_WORD;
      }
    }
    previousEnd = end;
    previousWord = word;
    if (table.length % YIELD_EVERY === 0) yield;
  }
  return table.done();
}

function longestPrefixWithin(text: string, start: number, end: number, maxTokens: number, tokenizer: Tokenizer): number {
  let lo = start + 1;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tokenizer.count(text.slice(start, mid)) <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  // Never split a surrogate pair.
  const code = text.charCodeAt(lo - 1);
  if (lo < end && lo - 1 > start && code >= 0xd800 && code <= 0xdbff) lo--;
  return lo;
}

function describeSource(doc: ChunkableDocument, start: number, newStart: number, end: number, index: number): ChunkSource {
  const touched = segmentsIn(doc.sourceMap, start, end);
  const pages = doc.pages === null ? [] : [...new Set(touched.flatMap((s) => (s.page === undefined ? [] : [s.page])))].sort((a, b) => a - b);
  const sections: string[] = [];
  for (const seg of touched) {
    const heading = seg.headingPath.at(-1);
    if (heading === undefined) continue;
    const key = sectionKey(heading);
    if (sections.at(-1) !== key) sections.push(key);
  }
  let headingPath: string[] = [];
  let most = -1;
  for (const seg of segmentsIn(doc.sourceMap, newStart, end)) {
    const covered = Math.min(seg.end, end) - Math.max(seg.start, newStart);
    if (covered > most) {
      most = covered;
      headingPath = seg.headingPath;
    }
  }
  const heading = headingPath.at(-1);
  const label = pages.length > 0 ? pageLabel(pages) : heading !== undefined ? sectionLabel(sectionKey(heading)) : chunkOrdinalLabel(index);
  return { pages, headingPath: [...headingPath], sections, label };
}

/** Segments overlapping [start, end), found by binary search over the sorted source map. */
function segmentsIn(map: readonly SourceSegment[], start: number, end: number): SourceSegment[] {
  let lo = 0;
  let hi = map.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((map[mid]?.end ?? 0) <= start) lo = mid + 1;
    else hi = mid;
  }
  const out: SourceSegment[] = [];
  for (let i = lo; i < map.length; i++) {
    const seg = map[i];
    if (seg === undefined || seg.start >= end) break;
    out.push(seg);
  }
  return out;
}
