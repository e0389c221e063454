// Ingests one file into normalised text with a source map. Format is chosen by
// extension and checked against the content; every failure is a DocumentError
// naming the file and the reason. Runs on the calling thread: from the main
// process use ingestInWorker (ingest-in-worker.ts).
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { assembleBlocks } from './assemble.ts';
import { decodeText } from './decode-text.ts';
import { DocumentError, displayName } from './document-error.ts';
import { readDocx } from './format-docx.ts';
import { markdownToBlocks } from './format-markdown.ts';
import { readPdf } from './format-pdf.ts';
import { textToBlocks } from './format-text.ts';
import { htmlToBlocks } from './html-blocks.ts';
import { formatOf, unsupportedFormatError } from './formats.ts';
import { readWholeFile } from './read-file.ts';
import { DEFAULT_MAX_BYTES, type DocumentFormat, type FormatResult, type IngestedDocument, type IngestOptions } from './types.ts';

export { formatOf, SUPPORTED_EXTENSIONS } from './formats.ts';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function readFormat(format: DocumentFormat, bytes: Uint8Array, file: string): Promise<FormatResult> {
  switch (format) {
    case 'pdf':
      return readPdf(bytes, file);
    case 'docx':
      return readDocx(bytes, file);
    case 'md':
    case 'txt':
    case 'html': {
      const decoded = decodeText(bytes, file);
      const blocks = format === 'md' ? markdownToBlocks(decoded.text) : format === 'txt' ? textToBlocks(decoded.text) : htmlToBlocks(decoded.text);
      return { blocks, pages: null, warnings: decoded.warnings };
    }
  }
}

export async function ingestFile(path: string, opts: IngestOptions = {}): Promise<IngestedDocument> {
  const file = resolve(path);
  const name = displayName(file);
  const format = formatOf(file);
  if (format === null) throw unsupportedFormatError(file);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = await readWholeFile(file, maxBytes);
  const { blocks, pages, warnings } = await readFormat(format, bytes, file);
  const { text, sourceMap } = assembleBlocks(blocks);
  if (text.trim() === '') {
    throw new DocumentError('no-text', file, `${name} contains no readable text.`, 'Check that the document has text content (not only images or scripts), then add it again.');
  }
  return {
    path: file,
    name,
    format,
    sha256: sha256Hex(bytes),
    textSha256: sha256Hex(text),
    bytes: bytes.byteLength,
    text,
    sourceMap,
    pages,
    warnings,
  };
}

/** The document already present with the same content as `doc`, if any: the same file added twice (under any name or path) has the same bytes, hence the same sha256. */
export function findDuplicate<T extends Pick<IngestedDocument, 'sha256'>>(existing: readonly T[], doc: Pick<IngestedDocument, 'sha256'>): T | null {
  return existing.find((d) => d.sha256 === doc.sha256) ?? null;
}
