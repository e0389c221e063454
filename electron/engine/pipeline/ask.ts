// Follow-up questions on a finished analysis: answered from the report and
// the passages that best match the question, streamed and checkpointed like
// every other step. When the conversation outgrows the model's context, the
// oldest question/answer pairs are left out of the request (never split), the
// stored transcript stays whole, and a 'context' checkpoint records it.
import { createHash } from 'node:crypto';
import type { Reason, SessionStatus } from '../../../shared/domain.ts';
import { countTokens } from '../tokens.ts';
import { AnalysisError, createRunner, observerOf, pathKeys, step, type AnalysisDeps, type AnalysisEvent, type Ctx } from './analysis.ts';
import { contextWindowFor } from './context-windows.ts';
import { buildAskContext, type Turn } from './follow-up-context.ts';
import { rankByQuery } from './lexical-rank.ts';
import { ProgressTracker } from './progress.ts';
import { readResults } from './read-model.ts';
import { askKey } from './step-keys.ts';

export interface AskOptions {
  signal?: AbortSignal;
  onEvent?: (event: AnalysisEvent) => void;
  /** Tokens kept free for the answer. Default 1024. */
  reserveTokens?: number;
}

export interface AskResult {
  answer: string;
  checkpointId: string;
  droppedTurns: number;
  cached: boolean;
}

export async function askQuestion(sessionId: string, question: string, deps: AnalysisDeps, opts: AskOptions = {}): Promise<AskResult> {
  const q = question.trim();
  if (!q) throw new AnalysisError('invalid_input', 'The question is empty.', 'Type a question about the document.');
  const { store } = deps;
  const results = readResults(store, sessionId);
  if (!results.report) {
    throw new AnalysisError('not_ready', 'This session has no report yet, so there is nothing to ask about.', 'Resume the analysis and ask once it is done.');
  }
  if (!store.acquireLease(sessionId, deps.owner)) {
    throw new AnalysisError('lease_held', 'This session is being run by another Cairn process.', 'Ask again when it has finished.');
  }
  const emit = observerOf(opts.onEvent);
  const session = results.session;
  const previous: { status: SessionStatus; reason: Reason | null } = { status: session.status, reason: session.reason };
  try {
    const counters = { requests: 0, memoHits: 0 };
    const setStatus = (status: SessionStatus, reason: Reason | null, retryAt: string | null = null) => {
      store.updateSession(sessionId, { status, reason, retryAt });
      emit({ type: 'status', status, reason, retryAt });
    };
    const { runner, client } = await createRunner(session, deps, emit, counters, setStatus);
    const model = client.profile.model;
    const history: Turn[] = [];
    for (let i = 0; i + 1 < results.conversation.length; i += 2) {
      history.push({ question: results.conversation[i]!.text, answer: results.conversation[i + 1]!.text });
    }
    const texts = results.chunks.map((c) => ({ label: c.label, text: store.getBlob(c.textHash) }));
    const ranked = rankByQuery(texts, (t) => t.text, q).filter((r) => r.score > 0).slice(0, 8).map((r) => r.item);
    const built = buildAskContext({
      task: session.config.task, report: results.report.text, passages: ranked, history, question: q,
      contextTokens: contextWindowFor(model, deps.contextWindows, client.profile.contextTokens),
      reserveTokens: opts.reserveTokens ?? 1_024,
      count: (t) => countTokens(t, model),
    });
    if (built.droppedTurns > 0 || built.reportTruncated) {
      store.appendCheckpoint(sessionId, {
        kind: 'context',
        stepKey: `context:${history.length}`,
        state: { droppedTurns: built.droppedTurns, keptTurns: built.keptTurns, reportTruncated: built.reportTruncated, tokens: built.tokens, passages: built.passages },
      });
    }
    const abort = new AbortController();
    const onAbort = () => abort.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const ctx: Ctx = {
      path: results.path, onPath: pathKeys(results.path), deps, store, sessionId, emit, signal: abort.signal, abort: (r) => abort.abort(r), runner, client,
      progress: new ProgressTracker(1, 1), counters, labels: new Map(),
    };
    const n = history.length;
    try {
      const answer = await step(ctx, {
        sessionId, stepKey: askKey(n, createHash('sha256').update(JSON.stringify(built.messages)).digest('hex')), kind: 'answer', task: session.config.task, messages: built.messages,
        parameters: { temperature: session.config.temperature }, state: { question: q, n },
      }, { kind: 'answer', index: n + 1, total: null, label: null });
      const head = store.getSession(sessionId).headId ?? '';
      return { answer, checkpointId: head, droppedTurns: built.droppedTurns, cached: counters.memoHits > 0 };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    try {
      const now = store.getSession(sessionId);
      if (now.status !== previous.status) store.updateSession(sessionId, { status: previous.status, reason: previous.reason, retryAt: null });
    } catch {
      // Status is cosmetic here; the answer (or its partial) is already saved.
    }
    store.releaseLease(sessionId, deps.owner);
  }
}
