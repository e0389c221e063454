// Public API of document ingestion, chunking and citations.
export { DocumentError, DocumentErrorCodeSchema, DocumentErrorDataSchema, isDocumentError } from './document-error.ts';
export type { DocumentErrorCode, DocumentErrorData } from './document-error.ts';
export { ingestFile, formatOf, findDuplicate, isSameDocument, sha256Hex, SUPPORTED_EXTENSIONS } from './ingest.ts';
export { ingestInWorker, DEFAULT_INGEST_TIMEOUT_MS } from './ingest-in-worker.ts';
export type { IngestInWorkerOptions } from './ingest-in-worker.ts';
export { DEFAULT_MAX_BYTES, DocumentFormatSchema, IngestedDocumentSchema, SourceSegmentSchema } from './types.ts';
export type { DocumentFormat, IngestedDocument, IngestOptions, SourceSegment } from './types.ts';
export { chunkDocument, ChunkOptionsSchema } from './chunker.ts';
export type { Chunk, ChunkableDocument, ChunkOptions, ChunkSource } from './chunker.ts';
export { parseCitations, resolveCitations, checkCitations } from './citations.ts';
export type { Citation, CitationTarget, ResolvedCitation } from './citations.ts';
export { sectionKey } from './section-label.ts';
export { ingestMany } from './ingest-many.ts';
export type { IngestManyOptions, IngestResult } from './ingest-many.ts';
