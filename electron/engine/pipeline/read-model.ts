// Reads a session's results back from its head path: the chunk list, each
// chunk's findings (or failure), the report with its checked citations and the
// follow-up conversation. What the desktop app shows, `cairn show` prints and
// exports contain all come from here, so they always agree.
import type { Checkpoint, Session } from '../../../shared/domain.ts';
import type { ChunkResult, SessionDetail } from '../../../shared/ipc/sessions.ts';
import type { CheckpointStoreApi } from '../../store/types.ts';
import { checkQuotesIn } from '../documents/citations.ts';
import { sectionKey } from '../documents/section-label.ts';
import type { ExportModel, ExportSource } from './export.ts';
import {
  AnswerStateSchema, chunkListOf, type CitationState, DocumentStateSchema, FailedStateSchema, mapKey, mapSpecHash, MapStateSchema, ReportStateSchema, SkippedStateSchema, stateOf, type ChunkRef, type SkippedState,
} from './step-keys.ts';

export interface SessionResults {
  session: Session;
  chunks: ChunkRef[];
  results: ChunkResult[];
  report: { text: string; checkpointId: string; citations: CitationState[]; failedChunks: number[] } | null;
  conversation: Array<{ role: 'user' | 'assistant'; text: string; checkpointId: string | null }>;
  /** Documents the session's runs could not read and went on without (none once a later run read them). */
  skippedDocuments: SkippedState[];
  /** Name and sha256 of each document, by its index in the session's documents. */
  documents: Map<number, { name: string; sha256: string }>;
  /** A chunk's text, read from the store when asked (exports check quotes against it). */
  chunkText: (index: number) => string;
  path: Checkpoint[];
}

const MAX_OUTPUT = 200_000;

export function readResults(store: CheckpointStoreApi, sessionId: string, live?: ReadonlyMap<string, 'running'>): SessionResults {
  const session = store.getSession(sessionId);
  const path = store.headPath(sessionId);
  let chunks: ChunkRef[] = [];
  const done = new Map<number, Checkpoint>();
  const failed = new Map<number, string>();
  const interrupted = new Set<string>();
  let report: SessionResults['report'] = null;
  const conversation: SessionResults['conversation'] = [];
  const skipped = new Map<string, SkippedState>();
  const cfg = session.config;
  const specHash = mapSpecHash(cfg.task, cfg.temperature);
  // Only results of the session's current task count: a fork with an edited task shows its own.
  const current = (index: number, stepKey: string | null) => {
    const c = chunks[index];
    return !!c && stepKey === mapKey(index, c.textHash, specHash);
  };

  for (const cp of path) {
    if (cp.kind === 'chunks') {
      const list = chunkListOf(cp, (h) => store.getBlob(h));
      if (list) {
        chunks = list;
        done.clear();
        failed.clear();
      }
    } else if (cp.kind === 'map') {
      const st = stateOf(cp, MapStateSchema);
      if (st && current(st.index, cp.stepKey)) {
        done.set(st.index, cp);
        failed.delete(st.index);
      }
    } else if (cp.kind === 'note' && cp.stepKey?.startsWith('skipped:')) {
      const st = stateOf(cp, SkippedStateSchema);
      if (st) skipped.set(st.path, st);
    } else if (cp.kind === 'document') {
      const st = stateOf(cp, DocumentStateSchema);
      if (st) skipped.delete(st.path);
    } else if (cp.kind === 'note') {
      const st = stateOf(cp, FailedStateSchema);
      if (st && st.index !== null && !done.has(st.index) && current(st.index, st.stepKey)) failed.set(st.index, st.message);
    } else if (cp.kind === 'interrupted' && cp.stepKey) {
      interrupted.add(cp.stepKey);
    } else if (cp.kind === 'report' && cp.outputHash) {
      const st = stateOf(cp, ReportStateSchema);
      report = { text: store.getBlob(cp.outputHash), checkpointId: cp.id, citations: st?.citations ?? [], failedChunks: st?.failedChunks ?? [] };
    } else if (cp.kind === 'answer' && cp.outputHash) {
      const st = stateOf(cp, AnswerStateSchema);
      if (st) {
        conversation.push({ role: 'user', text: st.question, checkpointId: null });
        conversation.push({ role: 'assistant', text: store.getBlob(cp.outputHash), checkpointId: cp.id });
      }
    }
  }

  // With several documents, say which one a passage comes from: "contract.pdf · p. 12".
  const docNames = new Map<number, string>();
  const documents = new Map<number, { name: string; sha256: string }>();
  for (const cp of path) {
    const st = cp.kind === 'document' ? stateOf(cp, DocumentStateSchema) : null;
    const index = st ? cfg.documents.indexOf(st.path) : -1;
    if (st && index >= 0) {
      docNames.set(index, st.name);
      documents.set(index, { name: st.name, sha256: st.sha256 });
    }
  }
  const multi = new Set(chunks.map((c) => c.doc)).size > 1;
  const sourceOf = (c: ChunkRef) => (multi && docNames.has(c.doc) ? `${docNames.get(c.doc)} · ${c.label}` : c.label).slice(0, 500);

  const results: ChunkResult[] = chunks.map((c) => {
    const source = sourceOf(c);
    const cp = done.get(c.index);
    const stepKey = cp?.stepKey ?? mapKey(c.index, c.textHash, specHash);
    if (cp) {
      const text = cp.outputHash ? store.getBlob(cp.outputHash) : '';
      return { index: c.index, stepKey, source, status: 'done', output: text.slice(0, MAX_OUTPUT), error: null };
    }
    if (failed.has(c.index)) return { index: c.index, stepKey, source, status: 'failed', output: null, error: failed.get(c.index)!.slice(0, 4_000) };
    if (live?.get(stepKey) === 'running') return { index: c.index, stepKey, source, status: 'running', output: null, error: null };
    const part = interrupted.has(stepKey) || session.status === 'interrupted' ? store.partial(sessionId, stepKey) : null;
    if (part && part.text) return { index: c.index, stepKey, source, status: 'interrupted', output: part.text.slice(0, MAX_OUTPUT), error: null };
    return { index: c.index, stepKey, source, status: 'pending', output: null, error: null };
  });

  const chunkText = (index: number): string => {
    const c = chunks[index];
    return c ? store.getBlob(c.textHash) : '';
  };
  return { session, chunks, results, report, conversation, skippedDocuments: [...skipped.values()], documents, chunkText, path };
}

export function toSessionDetail(r: SessionResults): SessionDetail {
  return {
    session: r.session,
    chunks: r.results,
    report: r.report?.text ?? null,
    citations: r.report?.citations ?? [],
    conversation: r.conversation,
    simulator: r.session.config.provider.simulator,
  };
}

/** Where a chunk's text comes from, for machines: the document (name, sha256), its pages and its section. */
function sourceOfChunk(r: SessionResults, index: number | null): ExportSource {
  const c = index === null ? undefined : r.chunks[index];
  if (!c) return { document: null, pages: null, section: null };
  const heading = c.headingPath.at(-1);
  return {
    document: r.documents.get(c.doc) ?? null,
    pages: c.pages.length > 0 ? { from: Math.min(...c.pages), to: Math.max(...c.pages) } : null,
    section: heading === undefined ? null : { key: sectionKey(heading), path: [...c.headingPath] },
  };
}

export function toExportModel(r: SessionResults, now: Date = new Date()): ExportModel {
  const cfg = r.session.config;
  return {
    sessionId: r.session.id,
    name: r.session.name,
    task: cfg.task,
    provider: cfg.provider.name,
    model: cfg.provider.model,
    simulator: cfg.provider.simulator,
    report: r.report?.text ?? null,
    findings: r.results.filter((c) => c.status === 'done').map((c) => ({
      index: c.index, label: c.source, text: c.output ?? '', ...sourceOfChunk(r, c.index), quoteCheck: checkQuotesIn(c.output ?? '', r.chunkText(c.index)),
    })),
    citations: (r.report?.citations ?? []).map((c) => ({ ...c, ...sourceOfChunk(r, c.chunkIndex) })),
    skippedDocuments: r.skippedDocuments.map((d) => ({ name: d.name, code: d.code, message: d.message })),
    failedChunks: r.results.filter((c) => c.status === 'failed').map((c) => c.index),
    usage: r.session.usage,
    checkpointId: r.report?.checkpointId ?? r.session.headId,
    exportedAt: now.toISOString(),
  };
}

/** The object `cairn show --json` prints. */
export function toShowJson(r: SessionResults): Record<string, unknown> {
  const s = r.session;
  return {
    id: s.id, name: s.name, status: s.status, reason: s.reason, retryAt: s.retryAt,
    progress: { done: s.progress.done, total: s.progress.total, failed: s.progress.failed },
    report: r.report?.text ?? null,
    usage: { inputTokens: s.usage.inputTokens, outputTokens: s.usage.outputTokens, costUsd: s.usage.costUsd, estimated: s.usage.estimated },
    provider: { name: s.config.provider.name, model: s.config.provider.model, simulator: s.config.provider.simulator },
    task: s.config.task, headId: s.headId, forkOf: s.forkOf, createdAt: s.createdAt, updatedAt: s.updatedAt,
    chunks: r.results.map((c) => ({ index: c.index, source: c.source, status: c.status })),
    citations: r.report?.citations ?? [],
    skippedDocuments: r.skippedDocuments.map((d) => ({ name: d.name, code: d.code, message: d.message })),
  };
}
