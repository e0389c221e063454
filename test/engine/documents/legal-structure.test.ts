// Vietnamese, Chinese and legal structure: "Điều 5", "Chương II", "Khoản 3", "Mục 1", "第5条", "第二章" are
// headings and section labels, as "Section 5" and "Article 5" are; legacy encodings are decoded, and the
// encoding assumed is said.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../electron/engine/documents/chunker.ts';
import { checkReportCitations } from '../../../electron/engine/documents/citations.ts';
import { ingestFile } from '../../../electron/engine/documents/ingest.ts';
import { sectionKey } from '../../../electron/engine/documents/section-label.ts';
import { CHINESE_CONTRACT, CHINESE_CONTRACT_TRADITIONAL, makeLegalFixtures, VIETNAMESE_CONTRACT, type LegalFixtures } from '../../fixtures/documents/make-legal-fixtures.ts';

let f: LegalFixtures;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-legal-'));
  f = await makeLegalFixtures(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const normalised = (s: string) => s.trim().replace(/\n{3,}/g, '\n\n');

describe('section keys of Vietnamese, Chinese and legal headings', () => {
  it('cites them by their designation, like "Section 5" and "Article 5"', () => {
    expect(sectionKey('Điều 5. Thanh toán')).toBe('Điều 5');
    expect(sectionKey('Điều 12: Bảo mật')).toBe('Điều 12');
    expect(sectionKey('Chương II')).toBe('Chương II');
    expect(sectionKey('CHƯƠNG III - ĐIỀU KHOẢN CHUNG')).toBe('Chương III');
    expect(sectionKey('Khoản 3')).toBe('Khoản 3');
    expect(sectionKey('Mục 1. Quy định chung')).toBe('Mục 1');
    expect(sectionKey('第5条 付款期限')).toBe('第5条');
    expect(sectionKey('第二章 付款')).toBe('第二章');
    expect(sectionKey('第十二條')).toBe('第十二條');
    // Decomposed (NFD) input cites the same key.
    expect(sectionKey('Điều 5. Thanh toán'.normalize('NFD'))).toBe('Điều 5');
  });
});

describe('Vietnamese and Chinese contracts', () => {
  it('a Vietnamese text file: "Chương", "Mục", "Điều" and "Khoản" lines are headings, and chunks are labelled "§ Điều 5"', async () => {
    const doc = await ingestFile(f.vietnameseUtf8);
    expect(doc.warnings).toEqual([]);
    const paths = doc.sourceMap.map((s) => s.headingPath);
    expect(paths).toContainEqual(['Chương II', 'Mục 1', 'Điều 5. Thanh toán']);
    expect(paths).toContainEqual(['Chương II', 'Mục 1', 'Điều 5. Thanh toán', 'Khoản 3']);
    expect(paths).toContainEqual(['Chương II', 'Mục 1', 'Điều 6. Chấm dứt hợp đồng']);
    const chunks = chunkDocument(doc, { model: 'gpt-4o', chunkTokens: 40, overlapTokens: 0 });
    expect(chunks.map((c) => c.source.label)).toContain('§ Điều 5');
    const { citations } = checkReportCitations('"Bên B phải thanh toán cho Bên A" [§ Điều 5]', chunks);
    expect(citations[0]).toMatchObject({ flagged: false, quoteCheck: 'verified' });
  });

  it('a Vietnamese Markdown file gets the same labels', async () => {
    const doc = await ingestFile(f.vietnameseMd);
    const chunks = chunkDocument(doc, { model: 'gpt-4o', chunkTokens: 40, overlapTokens: 0 });
    expect(chunks.map((c) => c.source.label)).toContain('§ Điều 5');
  });

  it('a Vietnamese file in Windows-1258 reads as the same text, and says which encoding was assumed', async () => {
    const utf8 = await ingestFile(f.vietnameseUtf8);
    const legacy = await ingestFile(f.vietnamese1258);
    expect(legacy.text).toBe(utf8.text);
    expect(legacy.text).toContain('Điều 5. Thanh toán');
    expect(legacy.warnings).toEqual([expect.stringContaining('Windows-1258')]);
    expect(legacy.warnings[0]).toContain('hop-dong-vi-1258.txt');
    expect(legacy.sourceMap).toEqual(utf8.sourceMap);
  });

  it('a Chinese file in GB18030 reads correctly, with "第二章" and "第5条" headings', async () => {
    const doc = await ingestFile(f.chineseGb18030);
    expect(doc.text).toBe(normalised(CHINESE_CONTRACT));
    expect(doc.warnings).toEqual([expect.stringContaining('GB18030')]);
    expect(doc.sourceMap.map((s) => s.headingPath)).toContainEqual(['第二章 付款', '第5条 付款期限']);
    const chunks = chunkDocument(doc, { model: 'gpt-4o', chunkTokens: 40, overlapTokens: 0 });
    expect(chunks.map((c) => c.source.label)).toContain('§ 第5条');
  });

  it('a Chinese file in Big5 reads correctly', async () => {
    const doc = await ingestFile(f.chineseBig5);
    expect(doc.text).toBe(normalised(CHINESE_CONTRACT_TRADITIONAL));
    expect(doc.warnings).toEqual([expect.stringContaining('Big5')]);
  });

  it('the UTF-8 contract text is the fixture text', async () => {
    expect((await ingestFile(f.vietnameseUtf8)).text).toBe(normalised(VIETNAMESE_CONTRACT));
  });
});

describe('legal headings written as plain paragraphs (Word, web pages)', () => {
  it('a .docx whose "Chương" and "Điều" lines are ordinary paragraphs still gets § Điều 5 labels', async () => {
    const { Document, Packer, Paragraph, TextRun } = await import('docx');
    const children = [
      new Paragraph({ children: [new TextRun({ text: 'Chương II', bold: true })] }),
      new Paragraph({ children: [new TextRun({ text: 'Điều 5. Thanh toán', bold: true })] }),
      new Paragraph('Bên B phải thanh toán cho Bên A trong vòng ba mươi ngày kể từ ngày nhận hóa đơn hợp lệ.'),
      new Paragraph({ children: [new TextRun({ text: '第5条 付款期限', bold: true })] }),
      new Paragraph('乙方应在收到合法发票后三十日内向甲方支付全部款项。'),
    ];
    const file = join(dir, 'hop-dong.docx');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, await Packer.toBuffer(new Document({ sections: [{ children }] })));
    const doc = await ingestFile(file);
    expect(doc.sourceMap.map((s) => s.headingPath)).toEqual([['Chương II'], ['Chương II', 'Điều 5. Thanh toán'], ['Chương II', '第5条 付款期限']]);
    const chunks = chunkDocument(doc, { model: 'gpt-4o', chunkTokens: 32, overlapTokens: 0 });
    expect(chunks.map((c) => c.source.label)).toContain('§ Điều 5');
  });

  it('a sentence that starts with "Điều 5" is not a heading', async () => {
    const { htmlToBlocks } = await import('../../../electron/engine/documents/html-blocks.ts');
    expect(htmlToBlocks('<p>Điều 5 của Hợp đồng này quy định việc thanh toán.</p><p><b>Điều 6</b></p>').map((b) => b.kind)).toEqual(['paragraph', 'heading']);
  });
});
