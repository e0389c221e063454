import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../electron/engine/documents/chunker.ts';
import { checkReportCitations } from '../../../electron/engine/documents/citations.ts';
import { ingestFile } from '../../../electron/engine/documents/ingest.ts';
import type { IngestedDocument } from '../../../electron/engine/documents/types.ts';
import { renderSamplePdf, SAMPLE_MARKDOWN, SAMPLE_PDF } from '../../../scripts/make-sample.ts';

let md: IngestedDocument;
let pdf: IngestedDocument;

beforeAll(async () => {
  [md, pdf] = await Promise.all([ingestFile(SAMPLE_MARKDOWN), ingestFile(SAMPLE_PDF)]);
});

describe('sample contract', () => {
  it('is long enough to analyse (15–20k words) and has numbered sections', () => {
    const words = md.text.split(/\s+/).length;
    expect(words).toBeGreaterThan(15_000);
    expect(words).toBeLessThan(20_000);
    expect(md.sourceMap.some((s) => s.headingPath.join(' > ') === 'Master Services Agreement > 3. Fees and Payment > 3.2 Payment Terms')).toBe(true);
    expect(md.warnings).toEqual([]);
  });

  it('committed PDF is exactly what scripts/make-sample.ts renders from the Markdown', async () => {
    const rendered = await renderSamplePdf(await readFile(SAMPLE_MARKDOWN, 'utf8'));
    const committed = new Uint8Array(await readFile(SAMPLE_PDF));
    expect(Buffer.compare(Buffer.from(rendered), Buffer.from(committed))).toBe(0);
  });

  it('PDF has 30+ pages, a real text layer and the page number in each footer', () => {
    expect(pdf.pages).toBeGreaterThanOrEqual(30);
    expect(pdf.warnings).toEqual([]);
    for (let page = 1; page <= (pdf.pages ?? 0); page++) {
      const text = pdf.sourceMap.filter((s) => s.page === page).map((s) => pdf.text.slice(s.start, s.end)).join('\n');
      expect(text).toContain(`Page ${page} of ${pdf.pages}`);
    }
  });

  it('chunks into 30+ chunks at 600 tokens, and citations of real pages and sections resolve', () => {
    const pdfChunks = chunkDocument(pdf, { model: 'gpt-4o', chunkTokens: 600, overlapTokens: 60 });
    const mdChunks = chunkDocument(md, { model: 'gpt-4o', chunkTokens: 600, overlapTokens: 60 });
    expect(pdfChunks.length).toBeGreaterThanOrEqual(30);
    expect(mdChunks.length).toBeGreaterThanOrEqual(30);

    const paymentPage = pdf.sourceMap.find((s) => pdf.text.slice(s.start, s.end).includes('3.2 Payment Terms'))?.page;
    const fromPdf = checkReportCitations(`Invoices are payable within 30 days [p. ${paymentPage}]. No such page [p. 99].`, pdfChunks);
    expect(fromPdf.flagged.map((c) => c.label)).toEqual(['p. 99']);
    expect(pdfChunks[fromPdf.citations[0]?.chunkIndex ?? -1]?.source.pages).toContain(paymentPage);

    const fromMd = checkReportCitations('Invoices are payable within 30 days [§ 3.2]; the liability cap is EUR 6,000,000 [§ 15.2]. Bad [§ 31.4].', mdChunks);
    expect(fromMd.flagged.map((c) => c.label)).toEqual(['§ 31.4']);
    expect(mdChunks[fromMd.citations[0]?.chunkIndex ?? -1]?.text).toContain('within thirty (30) days of the date on which it receives the invoice');
    expect(mdChunks[fromMd.citations[1]?.chunkIndex ?? -1]?.text).toContain('EUR 6,000,000');
  });
});
