// Which file types Cairn reads, by extension. Kept apart from the readers so
// checking a file name does not load pdf.js or mammoth.
import { extname } from 'node:path';
import { DocumentError, displayName } from './document-error.ts';
import type { DocumentFormat } from './types.ts';

const FORMAT_BY_EXTENSION: Readonly<Record<string, DocumentFormat>> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.md': 'md',
  '.markdown': 'md',
  '.txt': 'txt',
  '.text': 'txt',
  '.html': 'html',
  '.htm': 'html',
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(FORMAT_BY_EXTENSION);

export function formatOf(file: string): DocumentFormat | null {
  return FORMAT_BY_EXTENSION[extname(file).toLowerCase()] ?? null;
}

export function unsupportedFormatError(file: string): DocumentError {
  const ext = extname(file) || '(no extension)';
  return new DocumentError(
    'unsupported-format',
    file,
    `${displayName(file)} has an unsupported file type ${ext}.`,
    `Cairn reads ${SUPPORTED_EXTENSIONS.join(', ')}. Export the document to one of these (PDF or DOCX keep page and heading information).`,
  );
}
