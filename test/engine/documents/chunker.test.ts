import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkDocument, type Chunk, type ChunkableDocument } from '../../../electron/engine/documents/chunker.ts';
import { tokenizerFor } from '../../../electron/engine/tokens.ts';
import { numberedDocument, pagedDocument, paragraph, plainDocument, prng, sentence } from './synthetic-document.ts';

const WS = /\s/;

function expectValidChunks(doc: ChunkableDocument, chunks: Chunk[], model: string, chunkTokens: number): void {
  const tokenizer = tokenizerFor(model);
  expect(chunks.length).toBeGreaterThan(0);
  chunks.forEach((c, i) => {
    expect(c.index).toBe(i);
    expect(c.text).toBe(doc.text.slice(c.start, c.end));
    expect(c.tokens).toBe(tokenizer.count(c.text));
    expect(c.tokens).toBeLessThanOrEqual(chunkTokens);
    expect(c.hash).toBe(createHash('sha256').update(c.text).digest('hex'));
    // Never mid-word: a chunk starts and ends next to whitespace or the ends of the document.
    expect(c.start === 0 || WS.test(doc.text.charAt(c.start - 1))).toBe(true);
    expect(c.end === doc.text.length || WS.test(doc.text.charAt(c.end))).toBe(true);
    expect(WS.test(c.text.charAt(0))).toBe(false);
    expect(WS.test(c.text.charAt(c.text.length - 1))).toBe(false);
  });
  // Nothing is lost: between consecutive chunks there is at most whitespace.
  expect(doc.text.slice(0, chunks[0]?.start).trim()).toBe('');
  expect(doc.text.slice(chunks.at(-1)?.end).trim()).toBe('');
  for (let i = 1; i < chunks.length; i++) {
    const prev = chunks[i - 1] as Chunk;
    const cur = chunks[i] as Chunk;
    expect(cur.start).toBeGreaterThan(prev.start);
    expect(cur.end).toBeGreaterThan(prev.end);
    if (cur.start > prev.end) expect(doc.text.slice(prev.end, cur.start).trim()).toBe('');
  }
}

/** Offset where chunk i's new (non-overlap) text begins: the first word after the previous chunk's end. */
function newStart(doc: ChunkableDocument, chunks: Chunk[], i: number): number {
  if (i === 0) return chunks[0]?.start ?? 0;
  const prevEnd = chunks[i - 1]?.end ?? 0;
  const rest = /\S/.exec(doc.text.slice(prevEnd));
  return prevEnd + (rest?.index ?? 0);
}

describe('chunkDocument', () => {
  const numbered = numberedDocument(7, 8, 3, 3);
  const paged = pagedDocument(11, 15, 4);

  it('respects the token budget for every chunk, across budgets, overlaps and tokenizers', () => {
    for (const model of ['gpt-4o', 'gpt-4', 'deepseek-chat']) {
      for (const [chunkTokens, overlapTokens] of [[64, 0], [64, 32], [200, 20], [500, 100], [2_000, 200]] as const) {
        for (const doc of [numbered, paged]) {
          expectValidChunks(doc, chunkDocument(doc, { model, chunkTokens, overlapTokens }), model, chunkTokens);
        }
      }
    }
  });

  it('is deterministic: same document and settings give the same chunks and hashes', () => {
    const opts = { model: 'gpt-4o', chunkTokens: 300, overlapTokens: 40 };
    const a = chunkDocument(numbered, opts);
    const b = chunkDocument({ ...numbered, text: `${numbered.text}`.split('').join('') }, opts);
    expect(b).toEqual(a);
    expect(chunkDocument(numberedDocument(7, 8, 3, 3), opts).map((c) => c.hash)).toEqual(a.map((c) => c.hash));
    expect(chunkDocument(numbered, { ...opts, chunkTokens: 200 }).map((c) => c.hash)).not.toEqual(a.map((c) => c.hash));
  });

  it('overlaps each chunk with about overlapTokens from the end of the previous one', () => {
    const tokenizer = tokenizerFor('gpt-4o');
    const overlapTokens = 50;
    const chunks = chunkDocument(numbered, { model: 'gpt-4o', chunkTokens: 400, overlapTokens });
    expect(chunks.length).toBeGreaterThan(10);
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1] as Chunk;
      const cur = chunks[i] as Chunk;
      expect(cur.start).toBeLessThan(prev.end);
      const overlap = numbered.text.slice(cur.start, prev.end);
      expect(prev.text.endsWith(overlap)).toBe(true);
      expect(cur.text.startsWith(overlap)).toBe(true);
      const tokens = tokenizer.count(overlap);
      expect(tokens).toBeLessThanOrEqual(overlapTokens + 3);
      expect(tokens).toBeGreaterThanOrEqual(overlapTokens - 12);
    }
  });

  it('does not overlap when overlapTokens is 0', () => {
    const chunks = chunkDocument(numbered, { model: 'gpt-4o', chunkTokens: 300, overlapTokens: 0 });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]?.start).toBeGreaterThan(chunks[i - 1]?.end ?? 0);
  });

  it('cuts at paragraph or heading boundaries when paragraphs are small, and never leaves a heading at a chunk end', () => {
    const chunks = chunkDocument(numbered, { model: 'gpt-4o', chunkTokens: 300, overlapTokens: 30 });
    const headings = new Set(numbered.sourceMap.map((s) => s.headingPath.at(-1)));
    for (let i = 1; i < chunks.length; i++) {
      const at = newStart(numbered, chunks, i);
      expect(numbered.text.slice(at - 2, at)).toBe('\n\n');
    }
    for (const c of chunks.slice(0, -1)) {
      const lastBlock = c.text.slice(c.text.lastIndexOf('\n\n') + 2);
      expect(headings.has(lastBlock)).toBe(false);
    }
  });

  it('prefers a section start over a paragraph break when both fit', () => {
    const chunks = chunkDocument(numbered, { model: 'gpt-4o', chunkTokens: 600, overlapTokens: 0 });
    const sectionStarts = new Set(numbered.sourceMap.map((s) => s.start));
    const atSections = chunks.slice(1).filter((c) => sectionStarts.has(c.start)).length;
    expect(atSections / (chunks.length - 1)).toBeGreaterThan(0.8);
  });

  it('falls back to sentence boundaries inside one long paragraph, then to word boundaries', () => {
    const rnd = prng(3);
    const longParagraph = plainDocument(Array.from({ length: 120 }, () => sentence(rnd)).join(' '));
    const bySentence = chunkDocument(longParagraph, { model: 'gpt-4o', chunkTokens: 150, overlapTokens: 0 });
    expectValidChunks(longParagraph, bySentence, 'gpt-4o', 150);
    for (const c of bySentence.slice(0, -1)) expect(c.text.endsWith('.')).toBe(true);

    const oneSentence = plainDocument(Array.from({ length: 900 }, (_, i) => `word${i % 37}`).join(' '));
    const byWord = chunkDocument(oneSentence, { model: 'gpt-4o', chunkTokens: 100, overlapTokens: 10 });
    expectValidChunks(oneSentence, byWord, 'gpt-4o', 100);
    expect(byWord.length).toBeGreaterThan(10);
  });

  it('splits a single word longer than the whole budget rather than exceeding it', () => {
    const blob = 'QmFzZTY0'.repeat(400);
    const doc = plainDocument(`Before the blob. ${blob} After the blob.`);
    const chunks = chunkDocument(doc, { model: 'gpt-4o', chunkTokens: 64, overlapTokens: 0 });
    for (const c of chunks) expect(c.tokens).toBeLessThanOrEqual(64);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks[0]?.start).toBe(0);
    expect(chunks.at(-1)?.end).toBe(doc.text.length);
    for (let i = 1; i < chunks.length; i++) expect(doc.text.slice(chunks[i - 1]?.end, chunks[i]?.start).trim()).toBe('');
  });

  it('labels chunks of paged documents by page', () => {
    const chunks = chunkDocument(paged, { model: 'gpt-4o', chunkTokens: 250, overlapTokens: 25 });
    for (const c of chunks) {
      const pages = paged.sourceMap.filter((s) => s.start < c.end && s.end > c.start).map((s) => s.page);
      expect(c.source.pages).toEqual([...new Set(pages)]);
      const first = c.source.pages[0];
      const last = c.source.pages.at(-1);
      expect(c.source.label).toBe(first === last ? `p. ${first}` : `pp. ${first}–${last}`);
    }
    expect(chunks.some((c) => c.source.label.startsWith('pp. '))).toBe(true);
  });

  it('labels chunks of documents with numbered headings by section number, others by heading text or ordinal', () => {
    const chunks = chunkDocument(numbered, { model: 'gpt-4o', chunkTokens: 300, overlapTokens: 30 });
    for (const c of chunks) {
      expect(c.source.pages).toEqual([]);
      const heading = c.source.headingPath.at(-1) ?? '';
      const number = /^(\d+(?:\.\d+)*) /.exec(heading)?.[1];
      expect(c.source.label).toBe(number === undefined ? `§ ${heading}` : `§ ${number}`);
      expect(c.source.sections.length).toBeGreaterThan(0);
    }
    expect(chunks.some((c) => c.source.label === '§ 3.2')).toBe(true);

    const unnumbered = numberedDocument(5, 3, 2, 2, false);
    const labels = chunkDocument(unnumbered, { model: 'gpt-4o', chunkTokens: 200, overlapTokens: 0 }).map((c) => c.source.label);
    expect(labels).toContain('§ Liability obligations');

    const rnd = prng(9);
    const noHeadings = plainDocument(Array.from({ length: 20 }, () => paragraph(rnd)).join('\n\n'));
    const ordinal = chunkDocument(noHeadings, { model: 'gpt-4o', chunkTokens: 200, overlapTokens: 0 });
    expect(ordinal.map((c) => c.source.label)).toEqual(ordinal.map((_, i) => `chunk ${i + 1}`));
  });

  it('refuses settings that cannot work, and returns no chunks for no text', () => {
    expect(() => chunkDocument(numbered, { model: 'gpt-4o', chunkTokens: 100, overlapTokens: 80 })).toThrow(/overlapTokens must be at most half/);
    expect(() => chunkDocument(numbered, { model: 'gpt-4o', chunkTokens: 4, overlapTokens: 0 })).toThrow(RangeError);
    expect(chunkDocument({ text: '', sourceMap: [], pages: null }, { model: 'gpt-4o', chunkTokens: 100, overlapTokens: 0 })).toEqual([]);
  });
});
