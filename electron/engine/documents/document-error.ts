// A document that cannot be ingested is reported as a value naming the file,
// the reason and what to do next. It crosses the worker boundary as plain data
// (DocumentErrorData) and is rebuilt on the other side.
import { basename } from 'node:path';
import { z } from 'zod';

export const DocumentErrorCodeSchema = z.enum([
  'not-found',
  'not-a-file',
  'unreadable',
  'changed-during-read',
  'empty',
  'too-large',
  'unsupported-format',
  'binary',
  'corrupt',
  'encrypted',
  'no-text-layer',
  'no-text',
  'timeout',
  'worker-failed',
]);
export type DocumentErrorCode = z.infer<typeof DocumentErrorCodeSchema>;

export const DocumentErrorDataSchema = z.strictObject({
  name: z.literal('DocumentError'),
  code: DocumentErrorCodeSchema,
  file: z.string().max(4_096),
  message: z.string().max(4_000),
  hint: z.string().max(1_000),
});
export type DocumentErrorData = z.infer<typeof DocumentErrorDataSchema>;

export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  readonly code: DocumentErrorCode;
  readonly file: string;
  readonly hint: string;

  constructor(code: DocumentErrorCode, file: string, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.file = file;
    this.hint = hint;
  }

  toJSON(): DocumentErrorData {
    return { name: 'DocumentError', code: this.code, file: this.file, message: this.message, hint: this.hint };
  }

  static fromJSON(data: DocumentErrorData): DocumentError {
    return new DocumentError(data.code, data.file, data.message, data.hint);
  }
}

export function isDocumentError(value: unknown): value is DocumentError {
  return value instanceof DocumentError;
}

/** The short name used in messages: people recognise "contract.pdf", not a 200-char path. */
export function displayName(file: string): string {
  return basename(file) || file;
}
