// The two-column PDF with tables made by make-legal-fixtures.ts: each column is read as its own
// paragraphs (never interleaved line by line), table rows stay rows, and each page is its own segment.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../../electron/engine/documents/ingest.ts';
import { makeLegalFixtures, TWO_COLUMN_PAGES, type LegalFixtures } from '../../fixtures/documents/make-legal-fixtures.ts';

let f: LegalFixtures;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-2col-'));
  f = await makeLegalFixtures(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a two-column PDF with tables', () => {
  it('reads each column whole, each table row as a line, page by page', async () => {
    const doc = await ingestFile(f.twoColumnPdf);
    expect(doc.pages).toBe(2);
    for (const [i, p] of TWO_COLUMN_PAGES.entries()) {
      const seg = doc.sourceMap.find((s) => s.page === i + 1);
      expect(seg).toBeDefined();
      const text = doc.text.slice(seg!.start, seg!.end);
      expect(text).toContain(p.left.join('\n'));
      expect(text).toContain(p.right.join('\n'));
      expect(text.indexOf(p.left[0])).toBeLessThan(text.indexOf(p.right[0]));
      for (const row of p.table) expect(text).toContain(row.join(' '));
    }
  });
});
