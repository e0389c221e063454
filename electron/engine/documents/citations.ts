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

function resolveOne(citation: Citation, chunks: readonly Chunk[]): ResolvedCitation {
  const t = citation.target;
  let matches: number[] = [];
  let best: number | undefined;
  if (t.kind === 'pages') {
    const lo = Math.min(t.first, t.last);
    const hi = Math.max(t.first, t.last);
    matches = chunks.filter((c) => c.source.pages.some((p) => p >= lo && p <= hi)).map((c) => c.index);
    best = chunks.find((c) => c.source.pages.includes(t.first))?.index;
  } else if (t.kind === 'section') {
    for (const key of [comparableKey(t.key), comparableKey(t.key.replace(/\s*\([^)]*\)$/, ''))]) {
      matches = chunks.filter((c) => chunkMatchesSection(c, key)).map((c) => c.index);
      if (matches.length > 0) {
        best = chunks.find((c) => comparableKey(c.source.label) === comparableKey(sectionLabel(key)) && matches.includes(c.index))?.index;
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

/** Parses and resolves the citations of a report in one go; `flagged` lists those that point at no chunk. */
export function checkCitations(text: string, chunks: readonly Chunk[]): { citations: ResolvedCitation[]; flagged: ResolvedCitation[] } {
  const citations = resolveCitations(parseCitations(text), chunks);
  return { citations, flagged: citations.filter((c) => c.flagged) };
}
