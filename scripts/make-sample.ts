// Renders samples/master-services-agreement.md into the committed sample PDF:
// A4, a real text layer (standard Helvetica), headings, lists, tables, and a
// footer with "Page N of M" on every page. Output is byte-for-byte
// deterministic so a test can check that the committed PDF matches the text.
//   npx node scripts/make-sample.ts
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export const SAMPLE_MARKDOWN = fileURLToPath(new URL('../samples/master-services-agreement.md', import.meta.url));
export const SAMPLE_PDF = fileURLToPath(new URL('../samples/master-services-agreement.pdf', import.meta.url));

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 64, right: 64, top: 72, bottom: 72 };
const BODY = { size: 10.5, leading: 14 };
const HEADING = { 1: { size: 18, before: 0, after: 12 }, 2: { size: 13, before: 16, after: 6 }, 3: { size: 11, before: 10, after: 4 } } as const;
const FIXED_DATE = new Date('2025-03-03T09:00:00Z');

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

class Layout {
  readonly pdf: PDFDocument;
  readonly fonts: Fonts;
  page: PDFPage;
  y: number;

  constructor(pdf: PDFDocument, fonts: Fonts) {
    this.pdf = pdf;
    this.fonts = fonts;
    this.page = pdf.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - MARGIN.top;
  }

  get width(): number {
    return PAGE.width - MARGIN.left - MARGIN.right;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN.bottom) {
      this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
      this.y = PAGE.height - MARGIN.top;
    }
  }

  line(text: string, x: number, font: PDFFont, size: number, leading: number): void {
    this.ensure(leading);
    this.y -= leading;
    this.page.drawText(text, { x, y: this.y + (leading - size) / 2, size, font, color: rgb(0.1, 0.1, 0.12) });
  }
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (font.widthOfTextAtSize(candidate, size) <= width || current === '') current = candidate;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

/** Inline Markdown the sample uses: **bold** only; rendered as plain text. */
function plain(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1').trim();
}

function drawParagraph(layout: Layout, text: string, indent = 0, hanging = ''): void {
  const { regular } = layout.fonts;
  const markerWidth = hanging === '' ? 0 : regular.widthOfTextAtSize(`${hanging} `, BODY.size);
  const lines = wrap(plain(text), regular, BODY.size, layout.width - indent - markerWidth);
  lines.forEach((l, i) => {
    if (i === 0 && hanging !== '') {
      layout.ensure(BODY.leading);
      layout.page.drawText(hanging, { x: MARGIN.left + indent, y: layout.y - BODY.leading + (BODY.leading - BODY.size) / 2, size: BODY.size, font: regular });
    }
    layout.line(l, MARGIN.left + indent + markerWidth, regular, BODY.size, BODY.leading);
  });
  layout.y -= 6;
}

function drawHeading(layout: Layout, level: 1 | 2 | 3, text: string): void {
  const style = HEADING[level];
  const lines = wrap(plain(text), layout.fonts.bold, style.size, layout.width);
  // Keep a heading with at least three lines of what follows it.
  layout.ensure(style.before + lines.length * (style.size + 4) + 3 * BODY.leading);
  layout.y -= style.before;
  for (const l of lines) layout.line(l, MARGIN.left, layout.fonts.bold, style.size, style.size + 4);
  layout.y -= style.after;
}

function drawTable(layout: Layout, rows: string[][]): void {
  const size = 9;
  const leading = 12;
  const columns = Math.max(...rows.map((r) => r.length));
  const weights = Array.from({ length: columns }, (_, c) => Math.max(6, ...rows.map((r) => Math.min(60, plain(r[c] ?? '').length))));
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * layout.width);
  rows.forEach((row, r) => {
    const font = r === 0 ? layout.fonts.bold : layout.fonts.regular;
    const cells = widths.map((w, c) => wrap(plain(row[c] ?? ''), font, size, w - 8));
    const height = Math.max(...cells.map((c) => c.length)) * leading + 4;
    layout.ensure(height);
    const top = layout.y;
    let x = MARGIN.left;
    cells.forEach((lines, c) => {
      lines.forEach((l, i) => layout.page.drawText(l, { x: x + 2, y: top - (i + 1) * leading + 3, size, font }));
      x += widths[c] ?? 0;
    });
    layout.page.drawLine({ start: { x: MARGIN.left, y: top - height }, end: { x: MARGIN.left + layout.width, y: top - height }, thickness: 0.4, color: rgb(0.6, 0.6, 0.6) });
    layout.y = top - height;
  });
  layout.y -= 10;
}

function tableRow(line: string): string[] {
  return line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
}

export async function renderSamplePdf(markdown: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Master Services Agreement (sample)');
  pdf.setAuthor('Cairn sample documents');
  pdf.setSubject('Fictional contract between Northmere Logistics Limited and Aldercrest Software Services B.V.');
  pdf.setCreator('Cairn scripts/make-sample.ts');
  pdf.setProducer('pdf-lib');
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  const fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  const layout = new Layout(pdf, fonts);

  const blocks = markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const first = lines[0];
    if (first === undefined) continue;
    const heading = /^(#{1,3})\s+(.*)$/.exec(first);
    if (heading) {
      drawHeading(layout, (heading[1]?.length ?? 1) as 1 | 2 | 3, heading[2] ?? '');
    } else if (first.trim().startsWith('|')) {
      drawTable(layout, lines.filter((l) => !/^\s*\|?\s*-{3}/.test(l)).map(tableRow));
    } else if (/^(\d+\.|-)\s/.test(first)) {
      for (const item of lines) {
        const m = /^(\d+\.|-)\s+(.*)$/.exec(item);
        drawParagraph(layout, m?.[2] ?? item, 12, m?.[1] === '-' ? '•' : (m?.[1] ?? ''));
      }
    } else {
      for (const l of lines) drawParagraph(layout, l);
    }
  }

  const pages = pdf.getPages();
  pages.forEach((page, i) => {
    const footer = `Page ${i + 1} of ${pages.length}`;
    const size = 8.5;
    page.drawText('Master Services Agreement - NML-ASS-2025-014 - sample document, fictional parties', { x: MARGIN.left, y: 40, size, font: fonts.regular, color: rgb(0.4, 0.4, 0.4) });
    page.drawText(footer, { x: PAGE.width - MARGIN.right - fonts.regular.widthOfTextAtSize(footer, size), y: 40, size, font: fonts.regular, color: rgb(0.4, 0.4, 0.4) });
  });
  return pdf.save();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await renderSamplePdf(await readFile(SAMPLE_MARKDOWN, 'utf8'));
  await writeFile(SAMPLE_PDF, bytes);
  const pages = (await PDFDocument.load(bytes)).getPageCount();
  console.log(`Wrote ${SAMPLE_PDF} (${pages} pages, ${(bytes.length / 1024).toFixed(0)} KB).`);
}
