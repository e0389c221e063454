import { copyFile, mkdtemp, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../../../electron/engine/documents/document-error.ts';
import { findDuplicate, ingestFile } from '../../../electron/engine/documents/ingest.ts';
import { readWholeFile } from '../../../electron/engine/documents/read-file.ts';
import type { IngestedDocument } from '../../../electron/engine/documents/types.ts';
import {
  DOCX_HEADINGS,
  ENCRYPTED_PASSWORD,
  ENCRYPTED_TEXT,
  LATIN1_TEXT,
  PDF_PAGES,
  makeDocumentFixtures,
  type DocumentFixtures,
} from '../../fixtures/documents/make-fixtures.ts';

let f: DocumentFixtures;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-ingest-'));
  f = await makeDocumentFixtures(join(dir, 'fixtures'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<DocumentError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DocumentError);
    return err as DocumentError;
  }
  throw new Error('expected a DocumentError, but ingestion succeeded');
}

function expectWellFormedMap(doc: IngestedDocument): void {
  let previousEnd = 0;
  for (const seg of doc.sourceMap) {
    expect(seg.start).toBeGreaterThanOrEqual(previousEnd);
    expect(seg.end).toBeGreaterThan(seg.start);
    expect(seg.end).toBeLessThanOrEqual(doc.text.length);
    previousEnd = seg.end;
  }
  expect(doc.sourceMap[0]?.start).toBe(0);
  expect(doc.sourceMap.at(-1)?.end).toBe(doc.text.length);
}

function segmentText(doc: IngestedDocument, predicate: (s: IngestedDocument['sourceMap'][number]) => boolean): string {
  return doc.sourceMap
    .filter(predicate)
    .map((s) => doc.text.slice(s.start, s.end))
    .join('\n\n');
}

describe('PDF', () => {
  it('puts the known text of each page on that page, paragraphs separated by a blank line', async () => {
    const doc = await ingestFile(f.textPdf);
    expect(doc.format).toBe('pdf');
    expect(doc.pages).toBe(3);
    expect(doc.warnings).toEqual([]);
    expectWellFormedMap(doc);
    PDF_PAGES.forEach((paragraphs, i) => {
      expect(segmentText(doc, (s) => s.page === i + 1)).toBe(paragraphs.map((lines) => lines.join('\n')).join('\n\n'));
    });
  });

  it('warns about pages without text but keeps the others', async () => {
    const doc = await ingestFile(f.partlyBlankPdf);
    expect(doc.sourceMap.map((s) => s.page)).toEqual([1, 3]);
    expect(doc.warnings).toEqual([expect.stringContaining('page 2 contains no text')]);
  });

  it('refuses a scanned (image-only) PDF with a message that says to run OCR', async () => {
    const err = await failure(ingestFile(f.imageOnlyPdf));
    expect(err.code).toBe('no-text-layer');
    expect(err.file).toBe(f.imageOnlyPdf);
    expect(err.message).toContain('scanned.pdf is a scanned PDF with no text layer: run OCR first');
    expect(err.hint).toMatch(/OCR/);
  });

  it('refuses a password-protected PDF, and the fixture really is encrypted', async () => {
    const err = await failure(ingestFile(f.encryptedPdf));
    expect(err.code).toBe('encrypted');
    expect(err.message).toContain('encrypted.pdf is protected by a password');

    const { readFile } = await import('node:fs/promises');
    const task = getDocument({ data: new Uint8Array(await readFile(f.encryptedPdf)), password: ENCRYPTED_PASSWORD, verbosity: 0 });
    const pdf = await task.promise;
    const content = await (await pdf.getPage(1)).getTextContent();
    expect(content.items.map((i) => ('str' in i ? i.str : '')).join('')).toBe(ENCRYPTED_TEXT);
    await task.destroy();
  });

  it('reports a damaged PDF and a non-PDF named .pdf as corrupt', async () => {
    expect((await failure(ingestFile(f.corruptPdf))).code).toBe('corrupt');
    const fake = join(dir, 'fake.pdf');
    await writeFile(fake, 'Just some text, not a PDF at all.');
    const err = await failure(ingestFile(fake));
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain('fake.pdf does not look like a PDF');
  });
});

describe('DOCX', () => {
  it('keeps Word headings as the heading path', async () => {
    const doc = await ingestFile(f.docx);
    expect(doc.format).toBe('docx');
    expect(doc.pages).toBeNull();
    expectWellFormedMap(doc);
    expect(doc.sourceMap.map((s) => s.headingPath)).toEqual([['1 Scope'], ['1 Scope', '1.1 Services'], ['1 Scope', '1.2 Exclusions'], ['2 Fees']]);
    for (const h of DOCX_HEADINGS) expect(doc.text).toContain(`${h.text}\n\nBody text under ${h.text}. Bold term.`);
  });

  it('refuses a file that is not a zip package', async () => {
    const fake = join(dir, 'fake.docx');
    await writeFile(fake, 'plain words');
    expect((await failure(ingestFile(fake))).code).toBe('corrupt');
  });
});

describe('Markdown', () => {
  it('takes headings from # and setext underlines, never from code blocks', async () => {
    const doc = await ingestFile(f.markdown);
    expectWellFormedMap(doc);
    expect(doc.sourceMap.map((s) => s.headingPath.at(-1))).toEqual(['Service Agreement', '1. Definitions', '2. Payment', '2.1 Invoices', 'Late Fees']);
    expect(doc.sourceMap[3]?.headingPath).toEqual(['Service Agreement', '2. Payment', '2.1 Invoices']);
    expect(doc.text).toContain('```\n# not a heading inside code\n```');
    expect(doc.text).not.toContain('## ');
  });
});

describe('plain text', () => {
  it('reads UTF-8 with a BOM and normalises line endings', async () => {
    const doc = await ingestFile(f.utf8Txt);
    expect(doc.text).toBe('First paragraph, UTF-8 with a BOM: naïve café.\n\nSecond paragraph.');
    expect(doc.warnings).toEqual([]);
  });

  it('reads UTF-16 little and big endian with a BOM', async () => {
    expect((await ingestFile(f.utf16leTxt)).text).toBe('UTF-16 little endian: Ünïcödé ✓ 日本語');
    expect((await ingestFile(f.utf16beTxt)).text).toBe('UTF-16 big endian: Ünïcödé ✓ 日本語');
  });

  it('falls back to Latin-1 for invalid UTF-8 and says so', async () => {
    const doc = await ingestFile(f.latin1Txt);
    expect(doc.text).toBe(LATIN1_TEXT);
    expect(doc.warnings).toEqual([expect.stringContaining('latin1.txt is not valid UTF-8; it was read as Latin-1')]);
  });

  it('recognises numbered section lines as headings', async () => {
    const doc = await ingestFile(f.numberedTxt);
    expect(doc.sourceMap.map((s) => s.headingPath)).toEqual([[], ['1 Definitions'], ['1 Definitions', '3.2 Payment Terms']]);
  });
});

describe('HTML', () => {
  it('keeps headings and text, drops script, style, noscript, template and title', async () => {
    const doc = await ingestFile(f.html);
    expect(doc.text).toBe('Annual Report\n\nRevenue grew by 12 % & margins held.\n\nRisks\n\nCurrency exposure\n\nSupplier concentration\n\nYear | Revenue\n\n2024 | 4.2m\n\nLine one\nLine two');
    expect(doc.sourceMap.map((s) => s.headingPath)).toEqual([['Annual Report'], ['Annual Report', 'Risks']]);
    for (const hidden of ['trackingToken', 'color: red', 'Enable JavaScript', 'Template text', 'Ignored title', 'also dropped']) expect(doc.text).not.toContain(hidden);
  });
});

describe('bad input', () => {
  it('refuses binary content, naming the file', async () => {
    const nul = await failure(ingestFile(f.binaryTxt));
    expect(nul.code).toBe('binary');
    expect(nul.message).toContain('binary.txt looks like a binary file');
    expect((await failure(ingestFile(f.controlCharsTxt))).code).toBe('binary');
  });

  it('refuses an unsupported extension and lists what is supported', async () => {
    const err = await failure(ingestFile(f.unsupported));
    expect(err.code).toBe('unsupported-format');
    expect(err.message).toContain('spreadsheet.xlsx has an unsupported file type .xlsx');
    expect(err.hint).toContain('.pdf');
  });

  it('refuses an empty file, a file over the size limit, a missing file and a folder', async () => {
    expect((await failure(ingestFile(f.empty))).code).toBe('empty');
    const big = await failure(ingestFile(f.markdown, { maxBytes: 100 }));
    expect(big.code).toBe('too-large');
    expect(big.message).toMatch(/agreement\.md is .* over the .* limit/);
    const missing = await failure(ingestFile(join(dir, 'nowhere.txt')));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toContain('nowhere.txt was not found');
    const folder = join(dir, 'folder.md');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    expect((await failure(ingestFile(folder))).code).toBe('not-a-file');
  });

  it('refuses a file with only markup and no text', async () => {
    const page = join(dir, 'blank.html');
    await writeFile(page, '<html><body><script>var a = 1;</script><p> </p></body></html>');
    expect((await failure(ingestFile(page))).code).toBe('no-text');
  });

  it('notices a file truncated or removed while it is read', async () => {
    const shrinking = join(dir, 'shrinking.txt');
    await writeFile(shrinking, 'x'.repeat(5_000));
    const shrunk = await failure(readWholeFile(shrinking, 1e6, { afterOpen: () => truncate(shrinking, 100) }));
    expect(shrunk.code).toBe('changed-during-read');
    expect(shrunk.message).toContain('shrinking.txt changed or disappeared while it was being read');

    const vanishing = join(dir, 'vanishing.txt');
    await writeFile(vanishing, 'y'.repeat(5_000));
    expect((await failure(readWholeFile(vanishing, 1e6, { afterOpen: () => unlink(vanishing) }))).code).toBe('changed-during-read');
    expect((await failure(ingestFile(vanishing))).code).toBe('not-found');
  });

  it('serialises to plain data and back', async () => {
    const err = await failure(ingestFile(f.empty));
    const copy = DocumentError.fromJSON(JSON.parse(JSON.stringify(err)));
    expect(copy).toBeInstanceOf(DocumentError);
    expect(copy.toJSON()).toEqual(err.toJSON());
  });
});

describe('identity', () => {
  it('recognises the same file added twice under another name by its sha256', async () => {
    const copy = join(dir, 'copy-of-text.pdf');
    await copyFile(f.textPdf, copy);
    const first = await ingestFile(f.textPdf);
    const second = await ingestFile(copy);
    expect(second.sha256).toBe(first.sha256);
    expect(second.textSha256).toBe(first.textSha256);
    expect(findDuplicate([await ingestFile(f.docx), first], second)).toBe(first);
    expect(findDuplicate([first], await ingestFile(f.partlyBlankPdf))).toBeNull();
  });
});
