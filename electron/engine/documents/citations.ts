// Reads the citations a report makes ([p. 12], [pp. 12–13], [§ 3.2], and
// [chunk 4] for documents with neither pages nor headings) and maps each to
// the chunk it points at. A citation that points at nothing is flagged rather
// than dropped, so the report can show it as unverified.
import type { Chunk } from './chunker.ts';
import { comparableKey, pageLabel, sectionKey, sectionLabel } from './section-label.ts';

export type CitationTarget =
  | { kind: 'pages'; first: number; last: number }
  | { kind: 'section'; key: string }
  | { kind: 'chunk'; ordinal: number };

export interface Citation {
  /** Normalised label: "p. 12", "pp. 12–13", "§ 3.2", "chunk 4". */
  label: string;
  /** The bracket as written in the text, e.g. "[pp. 12-13; § 4]". Several citations can share one bracket. */
  raw: string;
  /** Offset of the bracket's "[" in the text. */
  index: number;
  target: CitationTarget;
}

export interface ResolvedCitation extends Citation {
  /** The chunk the citation maps to best, or null when it maps to none (then `flagged` is true). */
  chunkIndex: number | null;
  /** Every chunk the citation could refer to, ascending. */
  chunkIndexes: number[];
  flagged: boolean;
}

const BRACKET = /\[([^[\]\n]{1,200})\](?!\()/g;
const PAGES = /^(?:pp?\.?|pages?)\s*(\d{1,6}(?:\s*[–—-]\s*\d{1,6})?(?:\s*,\s*\d{1,6}(?:\s*[–—-]\s*\d{1,6})?)*)$/i;
const SECTION = /^§§?\s*(\S.*)$/;
const CHUNK = /^chunk\s+(\d{1,6})$/i;

function parsePart(part: string): Array<{ label: string; target: CitationTarget }> {
  const pages = PAGES.exec(part);
  if (pages) {
    return (pages[1] ?? '').split(',').map((range) => {
      const [a, b] = range.split(/[–—-]/).map((x) => Number(x.trim()));
      const first = a ?? 0;
      const last = b ?? first;
      return { label: pageLabel(first === last ? [first] : [first, last]), target: { kind: 'pages', first, last } };
    });
  }
  const section = SECTION.exec(part);
  if (section) {
    const key = (section[1] ?? '').trim().replace(/[.,;:]+$/, '');
    return [{ label: sectionLabel(key), target: { kind: 'section', key } }];
  }
  const chunk = CHUNK.exec(part);
  if (chunk) return [{ label: `chunk ${Number(chunk[1])}`, target: { kind: 'chunk', ordinal: Number(chunk[1]) } }];
  return [];
}

/** Every citation in `text`, in order of appearance. Brackets that are not citations ([1], [sic], Markdown links) are ignored. */
export function parseCitations(text: string): Citation[] {
  const out: Citation[] = [];
  for (const match of text.matchAll(BRACKET)) {
    const parts = (match[1] ?? '').split(/\s*;\s*/);
    for (const part of parts) {
      for (const parsed of parsePart(part.trim())) out.push({ ...parsed, raw: match[0], index: match.index });
    }
  }
  return out;
}

function stripNumber(heading: string): string {
  return heading.replace(/^(?:(?:section|article|clause)\s+)?\d+(?:\.\d+)*[.)]?\s+/i, '');
}

function chunkMatchesSection(chunk: Chunk, key: string): boolean {
  if (chunk.source.sections.some((s) => comparableKey(s) === key)) return true;
  return chunk.source.headingPath.some((h) => comparableKey(h) === key || comparableKey(stripNumber(h)) === key || comparableKey(sectionKey(h)) === key);
}

/** Among `candidates` (chunk indexes, best first), the first whose text holds `quote`, else the first. */
function preferQuoted(candidates: readonly number[], chunks: readonly Chunk[], quote: string | null): number | undefined {
  if (quote !== null) {
    const found = candidates.find((i) => quoteOccurs(quote, chunks[i]?.text ?? ''));
    if (found !== undefined) return found;
  }
  return candidates[0];
}

function resolveOne(citation: Citation, chunks: readonly Chunk[], quote: string | null = null): ResolvedCitation {
  const t = citation.target;
  let matches: number[] = [];
  let best: number | undefined;
  // A chunk labelled exactly as cited is what the citation names ("pp. 19–21" is the chunk with that label,
  // not the first one that touches page 19).
  const label = comparableKey(citation.label);
  const exact = chunks.filter((c) => comparableKey(c.source.label) === label).map((c) => c.index);
  if (t.kind === 'pages') {
    const lo = Math.min(t.first, t.last);
    const hi = Math.max(t.first, t.last);
    const cover = (c: Chunk) => c.source.pages.filter((p) => p >= lo && p <= hi).length;
    const covering = chunks.filter((c) => cover(c) > 0);
    matches = covering.map((c) => c.index);
    if (exact.length > 0) best = preferQuoted(exact, chunks, quote);
    else if (covering.length > 0) {
      // Else the chunk covering most of the range, then the one with the fewest pages outside it, then the earliest.
      const most = Math.max(...covering.map(cover));
      const widest = covering.filter((c) => cover(c) === most);
      const fewest = Math.min(...widest.map((c) => c.source.pages.length));
      best = preferQuoted(widest.filter((c) => c.source.pages.length === fewest).map((c) => c.index), chunks, quote);
    }
  } else if (t.kind === 'section') {
    for (const key of [comparableKey(t.key), comparableKey(t.key.replace(/\s*\([^)]*\)$/, ''))]) {
      matches = chunks.filter((c) => chunkMatchesSection(c, key)).map((c) => c.index);
      if (matches.length > 0) {
        const labelled = chunks.filter((c) => comparableKey(c.source.label) === comparableKey(sectionLabel(key)) && matches.includes(c.index)).map((c) => c.index);
        best = preferQuoted(labelled.length > 0 ? labelled : matches, chunks, quote);
        break;
      }
    }
  } else {
    const chunk = chunks[t.ordinal - 1];
    if (chunk !== undefined) matches = [chunk.index];
  }
  const chunkIndex = best ?? matches[0] ?? null;
  return { ...citation, chunkIndex, chunkIndexes: matches, flagged: chunkIndex === null };
}

export function resolveCitations(citations: readonly Citation[], chunks: readonly Chunk[]): ResolvedCitation[] {
  return citations.map((c) => resolveOne(c, chunks));
}

/**
 * Whether a quoted phrase is in the chunk's text, compared as a reader sees it: case, quotation
 * marks, Markdown emphasis and line breaks aside (the simulator and real models quote that way).
 */
function quoteOccurs(quote: string, text: string): boolean {
  const q = comparableText(quote);
  return q !== '' && comparableText(text).includes(q);
}

function comparableText(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[*`"“”„«»]|__/g, '')
    .replace(/[‘’]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const QUOTED = /"([^"\n]{3,400})"|“([^”\n]{3,400})”/g;

/** The quoted phrase a citation vouches for: the last quotation before it on its line, after the previous citation. */
function quoteBefore(text: string, index: number, floor: number): string | null {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const window = text.slice(Math.max(lineStart, floor), index);
  let last: string | null = null;
  for (const m of window.matchAll(QUOTED)) last = (m[1] ?? m[2] ?? '').trim();
  return last === '' ? null : last;
}

/** What the per-run check found for one citation: its quote is in the chunk it resolves to, is not, or it quotes nothing. */
export type QuoteCheck = 'verified' | 'unverified' | 'no-quote';

export interface CheckedCitation extends ResolvedCitation {
  /** The phrase quoted just before the citation, or null. */
  quote: string | null;
  quoteCheck: QuoteCheck;
}

export interface CitationSummary {
  total: number;
  verified: number;
  unverified: number;
  noQuote: number;
  /** Citations that point at no chunk (counted in `unverified` when they quote something, else in `noQuote`). */
  flagged: number;
}

/**
 * The check a run makes of its report: every citation resolved to a chunk, and every quoted phrase
 * looked for in the chunk its citation resolves to. A citation that points at no chunk is unverified.
 */
export function checkReportCitations(text: string, chunks: readonly Chunk[]): { citations: CheckedCitation[]; flagged: CheckedCitation[]; summary: CitationSummary } {
  const citations: CheckedCitation[] = [];
  let floor = 0;
  let lastBracket = -1;
  for (const c of parseCitations(text)) {
    if (c.index !== lastBracket) {
      // Several citations in one bracket share its quote; the next bracket looks only after this one.
      if (lastBracket >= 0) floor = lastBracket;
      lastBracket = c.index;
    }
    const quote = quoteBefore(text, c.index, floor);
    const resolved = resolveOne(c, chunks, quote);
    const chunk = resolved.chunkIndex === null ? undefined : chunks[resolved.chunkIndex];
    const quoteCheck: QuoteCheck = quote === null ? 'no-quote' : chunk !== undefined && quoteOccurs(quote, chunk.text) ? 'verified' : 'unverified';
    citations.push({ ...resolved, quote, quoteCheck });
  }
  const count = (k: QuoteCheck) => citations.filter((c) => c.quoteCheck === k).length;
  return {
    citations,
    flagged: citations.filter((c) => c.flagged),
    summary: { total: citations.length, verified: count('verified'), unverified: count('unverified'), noQuote: count('no-quote'), flagged: citations.filter((c) => c.flagged).length },
  };
}

/** The mark of a finding drawn from one chunk: every phrase it quotes is in that chunk (verified), one is not (unverified), or it quotes nothing. */
export function checkQuotesIn(text: string, chunkText: string): QuoteCheck {
  const quotes = [...text.matchAll(QUOTED)].map((m) => (m[1] ?? m[2] ?? '').trim()).filter((q) => q !== '');
  if (quotes.length === 0) return 'no-quote';
  return quotes.every((q) => quoteOccurs(q, chunkText)) ? 'verified' : 'unverified';
}
