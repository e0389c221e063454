// PDF through pdfjs-dist's Node build: text per page, lines rebuilt from item
// positions and paragraphs from vertical gaps. Page numbers are physical
// (1 = first page), which is what a PDF viewer's page box shows.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DocumentError, displayName } from './document-error.ts';
import type { Block, FormatResult } from './types.ts';

const require = createRequire(import.meta.url);
const STANDARD_FONTS = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

interface Line {
  text: string;
  y: number;
  height: number;
}

interface PositionedText {
  str: string;
  transform: unknown[];
  height: number;
  hasEOL: boolean;
}

function isPositionedText(item: unknown): item is PositionedText {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item && Array.isArray(item.transform);
}

function itemsToLines(items: readonly unknown[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  for (const item of items) {
    if (!isPositionedText(item)) continue;
    const y = Number(item.transform[5]) || 0;
    const height = item.height > 0 ? item.height : Math.abs(Number(item.transform[3])) || 10;
    if (current !== null && item.str !== '' && Math.abs(current.y - y) > Math.min(current.height, height) * 0.5) {
      lines.push(current);
      current = null;
    }
    if (item.str !== '') {
      if (current === null) current = { text: item.str, y, height };
      else current.text += item.str;
    }
    if (item.hasEOL && current !== null) {
      lines.push(current);
      current = null;
    }
  }
  if (current !== null) lines.push(current);
  return lines.filter((l) => l.text.trim() !== '');
}

function linesToParagraphs(lines: readonly Line[]): string[] {
  const paragraphs: string[] = [];
  let para: string[] = [];
  let prev: Line | null = null;
  for (const line of lines) {
    if (prev !== null) {
      const gap = prev.y - line.y;
      // A gap well over one line height, or a jump upwards (next column), starts a new paragraph.
      if (gap > Math.max(prev.height, line.height) * 1.6 || gap < -prev.height) {
        paragraphs.push(para.join('\n'));
        para = [];
      }
    }
    para.push(line.text);
    prev = line;
  }
  if (para.length > 0) paragraphs.push(para.join('\n'));
  return paragraphs;
}

function describePages(pages: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    const first = pages[i] ?? 0;
    let last = first;
    while (pages[i + 1] === last + 1) last = pages[++i] ?? last;
    ranges.push(first === last ? `${first}` : `${first}–${last}`);
  }
  return ranges.join(', ');
}

function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string' ? err.name : '';
}

export async function readPdf(bytes: Uint8Array, file: string): Promise<FormatResult> {
  const name = displayName(file);
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) {
    throw new DocumentError('corrupt', file, `${name} does not look like a PDF (no %PDF header).`, 'Check that the file is a PDF and not another format renamed to .pdf.');
  }
  // pdfjs may transfer (detach) the buffer it is given, so it gets its own copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: STANDARD_FONTS,
  });
  try {
    let pdf;
    try {
      pdf = await task.promise;
    } catch (err) {
      if (errorName(err) === 'PasswordException') {
        throw new DocumentError('encrypted', file, `${name} is protected by a password, so its text cannot be read.`, 'Open it in a PDF viewer with the password and save an unprotected copy, then add that copy.', { cause: err });
      }
      const why = err instanceof Error ? err.message : String(err);
      throw new DocumentError('corrupt', file, `${name} is damaged or not a valid PDF (${why}).`, 'Open it in a PDF viewer to check it, re-export or re-download it, then add it again.', { cause: err });
    }
    const blocks: Block[] = [];
    const textless: number[] = [];
    for (let page = 1; page <= pdf.numPages; page++) {
      const content = await (await pdf.getPage(page)).getTextContent();
      const paragraphs = linesToParagraphs(itemsToLines(content.items));
      const visible = paragraphs.join('').replace(/\s+/g, '').length;
      if (visible === 0) textless.push(page);
      for (const text of paragraphs) blocks.push({ kind: 'paragraph', text, page });
    }
    if (textless.length === pdf.numPages) {
      throw new DocumentError(
        'no-text-layer',
        file,
        `${name} is a scanned PDF with no text layer: run OCR first (none of its ${pdf.numPages} page${pdf.numPages === 1 ? '' : 's'} contains text).`,
        'Run OCR on it (for example ocrmypdf, or "Recognize text" in your PDF editor), then add the recognised PDF.',
      );
    }
    const warnings =
      textless.length === 0
        ? []
        : [`${name}: page${textless.length === 1 ? '' : 's'} ${describePages(textless)} contain${textless.length === 1 ? 's' : ''} no text (blank, or scanned without OCR) and will not be analysed.`];
    return { blocks, pages: pdf.numPages, warnings };
  } finally {
    await task.destroy().catch(() => undefined);
  }
}
