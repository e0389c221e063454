import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../../electron/engine/documents/chunker.ts';
import { checkReportCitations, parseCitations, resolveCitations } from '../../../electron/engine/documents/citations.ts';

function chunk(index: number, pages: number[], label: string, text: string, headingPath: string[] = []): Chunk {
  return { index, text, tokens: 10, start: 0, end: text.length, hash: String(index).padStart(64, '0'), source: { pages, headingPath, sections: [], label } };
}

const chunks = [
  chunk(0, [15, 16, 17], 'pp. 15–17', 'The Supplier shall keep records for seven years.'),
  chunk(1, [17, 18, 19], 'pp. 17–19', 'Invoices are payable within thirty days of receipt.'),
  chunk(2, [19, 20, 21], 'pp. 19–21', 'Either party may terminate on ninety days notice in writing.'),
  chunk(3, [21, 22], 'pp. 21–22', 'Notices are given by e-mail to the addresses in Schedule 1.'),
];

describe('citation resolution', () => {
  it('resolves a citation to the chunk whose label matches it exactly, not the first chunk holding its first page', () => {
    const [r] = resolveCitations(parseCitations('Termination [pp. 19–21].'), chunks);
    expect(r?.chunkIndex).toBe(2);
    expect(r?.chunkIndexes).toEqual([1, 2, 3]);
  });

  it('without an exact label, resolves to the chunk that covers most of the cited range', () => {
    const [r] = resolveCitations(parseCitations('[pp. 20–22]'), chunks);
    // chunk 2 holds 20 and 21 (and 19), chunk 3 holds 21 and 22 and nothing else: equal cover, fewer pages outside.
    expect(r?.chunkIndex).toBe(3);
    // chunk 0 holds page 17 only, chunk 1 holds 17 and 18.
    const [s] = resolveCitations(parseCitations('[pp. 17-18]'), chunks);
    expect(s?.chunkIndex).toBe(1);
  });

  it('among chunks with the same label, takes the one that holds the quoted phrase', () => {
    const same = [chunk(0, [5], 'p. 5', 'The first half of page five.'), chunk(1, [5], 'p. 5', 'Payment is due on the first day of each month.')];
    const { citations } = checkReportCitations('1. It says "Payment is due on the first day" [p. 5].', same);
    expect(citations[0]).toMatchObject({ chunkIndex: 1, quote: 'Payment is due on the first day', quoteCheck: 'verified' });
  });
});

describe('checkReportCitations: each quoted phrase against the chunk its citation resolves to', () => {
  it('marks a quote found in the cited chunk verified, one found elsewhere unverified, and a citation without a quote as such', () => {
    const report = [
      'Findings:',
      '1. The text states that "Either party may terminate on ninety days notice" [pp. 19–21]. Read it closely.',
      '2. The passage notes that "Invoices are payable within thirty days" [pp. 19–21]. Wrong page.',
      '3. Records are kept [pp. 15–17].',
      '4. It says “notices are given by e-mail” [pp. 21–22] and [p. 99].',
    ].join('\n');
    const { citations, summary } = checkReportCitations(report, chunks);
    expect(citations.map((c) => [c.label, c.chunkIndex, c.quoteCheck])).toEqual([
      ['pp. 19–21', 2, 'verified'],
      ['pp. 19–21', 2, 'unverified'],
      ['pp. 15–17', 0, 'no-quote'],
      ['pp. 21–22', 3, 'verified'],
      // The quote before [pp. 21–22] belongs to it, not to the next bracket.
      ['p. 99', null, 'no-quote'],
    ]);
    expect(summary).toEqual({ total: 5, verified: 2, unverified: 1, noQuote: 2, flagged: 1 });
    const { citations: alone } = checkReportCitations('It says "no such passage anywhere" [p. 99].', chunks);
    expect(alone[0]).toMatchObject({ flagged: true, quoteCheck: 'unverified' });
  });

  it('compares quotes the way they are printed: case, quotes, Markdown emphasis and line breaks do not matter', () => {
    const c = [chunk(0, [1], 'p. 1', 'The **Customer** shall pay\neach invoice within thirty days.')];
    const { citations } = checkReportCitations('"the Customer shall pay each invoice" [p. 1]', c);
    expect(citations[0]?.quoteCheck).toBe('verified');
  });
});
