// The shape of an ingested document. Every format reader produces Blocks; one
// assembler turns them into normalised text plus a source map, so offsets,
// pages and heading paths mean the same thing whatever the format was.
import { z } from 'zod';

export const DocumentFormatSchema = z.enum(['pdf', 'docx', 'md', 'txt', 'html']);
export type DocumentFormat = z.infer<typeof DocumentFormatSchema>;

/** One contiguous range of `text` with a single page and heading path. Ranges are sorted, disjoint and cover every block. */
export const SourceSegmentSchema = z.strictObject({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  page: z.number().int().positive().optional(),
  headingPath: z.array(z.string()),
});
export type SourceSegment = z.infer<typeof SourceSegmentSchema>;

export const IngestedDocumentSchema = z.strictObject({
  path: z.string(),
  name: z.string(),
  format: DocumentFormatSchema,
  /** sha256 (hex) of the file's bytes: the same file added twice has the same value. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** sha256 (hex) of the normalised text: where the text is stored, content-addressed. */
  textSha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  text: z.string(),
  sourceMap: z.array(SourceSegmentSchema),
  pages: z.number().int().positive().nullable(),
  warnings: z.array(z.string()),
});
export type IngestedDocument = z.infer<typeof IngestedDocumentSchema>;

/** What a format reader yields: headings and paragraphs in reading order. */
export type Block =
  | { kind: 'heading'; level: number; text: string; page?: number }
  | { kind: 'paragraph'; text: string; page?: number };

export interface FormatResult {
  blocks: Block[];
  pages: number | null;
  warnings: string[];
}

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

export interface IngestOptions {
  /** Files larger than this are refused before they are read. Default 200 MB. */
  maxBytes?: number;
}
