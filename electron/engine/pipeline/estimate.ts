// What an analysis would cost before anything is sent: documents are read and
// chunked for real (so the count is exact), then each planned call is counted
// with the model's tokenizer and priced from the price table.
import type { SessionConfig } from '../../../shared/domain.ts';
import { chunkDocument } from '../documents/chunker.ts';
import { ingestInWorker } from '../documents/ingest-in-worker.ts';
import type { IngestedDocument } from '../documents/types.ts';
import { estimateCalls, PriceTable, type DryRunEstimate, type PlannedCall } from '../pricing.ts';
import { mapMessages, reduceMessages } from './prompts.ts';

export interface AnalysisEstimate extends DryRunEstimate {
  documents: Array<{ path: string; name: string; pages: number | null; chunks: number; tokens: number }>;
  chunks: number;
  /** Rough wall time at the given speed, from the expected output. */
  seconds: number | null;
}

export const EXPECTED_MAP_OUTPUT = 300;
export const EXPECTED_REPORT_OUTPUT = 1_000;

export async function estimateAnalysis(
  config: Pick<SessionConfig, 'documents' | 'task' | 'chunkTokens' | 'overlapTokens' | 'concurrency' | 'provider'>,
  opts: { prices?: PriceTable; ingest?: (path: string) => Promise<IngestedDocument>; outputTokensPerSecond?: number } = {},
): Promise<AnalysisEstimate> {
  const model = config.provider.model;
  const calls: PlannedCall[] = [];
  const documents: AnalysisEstimate['documents'] = [];
  for (const path of config.documents) {
    const doc = await (opts.ingest ?? ingestInWorker)(path);
    const chunks = chunkDocument(doc, { model, chunkTokens: config.chunkTokens, overlapTokens: Math.min(config.overlapTokens, Math.floor(config.chunkTokens / 2)) });
    documents.push({ path, name: doc.name, pages: doc.pages, chunks: chunks.length, tokens: chunks.reduce((s, c) => s + c.tokens, 0) });
    for (const c of chunks) calls.push({ messages: mapMessages(config.task, { label: c.source.label, text: c.text }), expectedOutputTokens: EXPECTED_MAP_OUTPUT });
  }
  const findings = calls.map((_, i) => ({ label: `p. ${i + 1}`, text: 'x '.repeat(EXPECTED_MAP_OUTPUT) }));
  calls.push({ messages: reduceMessages(config.task, findings, true), expectedOutputTokens: EXPECTED_REPORT_OUTPUT });
  const est = estimateCalls(model, calls, opts.prices ?? new PriceTable());
  const tps = opts.outputTokensPerSecond ?? 50;
  const seconds = tps > 0 ? Math.round((est.outputTokens / tps) / Math.max(1, config.concurrency)) : null;
  return { ...est, documents, chunks: calls.length - 1, seconds };
}
