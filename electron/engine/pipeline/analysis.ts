// Runs a document analysis session durably: ingest → chunk → map (bounded
// concurrency) → reduce (hierarchical when the findings outgrow the context) →
// checked report. Every step is a checkpoint on the session's head path, so a
// resume (after a crash, a kill, a pause) picks up exactly what is missing;
// every model call is memoised, so a resume, re-run or fork never pays twice.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { CheckpointKind, Reason, Session, SessionStatus, Usage } from '../../../shared/domain.ts';
import type { ProviderLimits } from '../../../shared/provider-limits.ts';
import { isActive, isRunnable, PAUSED_ON_REQUEST } from '../../../shared/session-state.ts';
import type { StepLabel } from '../../../shared/step-label.ts';
import type { CheckpointStoreApi, StepRef } from '../../store/types.ts';
import { SessionBudget } from '../budget.ts';
import { realClock, type Clock } from '../clock.ts';
import { chunkDocumentAsync, type Chunk } from '../documents/chunker.ts';
import { checkReportCitations, type CitationSummary } from '../documents/citations.ts';
import { displayName, isDocumentError } from '../documents/document-error.ts';
import { findDuplicate } from '../documents/ingest.ts';
import { ingestInWorker } from '../documents/ingest-in-worker.ts';
import type { IngestedDocument, SourceSegment } from '../documents/types.ts';
import { cancelledError, isEngineError } from '../errors.ts';
import { PriceTable } from '../pricing.ts';
import { createProviderClient, type ProviderClient } from '../provider/client.ts';
import { ProviderThrottle } from '../provider-throttle.ts';
import type { KeyDeps } from '../provider/keys.ts';
import { affectsEveryStep, RateLimitGate, type RetryPolicyOptions } from '../retry-policy.ts';
import { StepRunner, type StepSpec } from '../step-runner.ts';
import { countChatTokens, encodingForModel } from '../tokens.ts';
import { contextWindowFor } from './context-windows.ts';
import { ProgressTracker } from './progress.ts';
import { mapMessages, reduceMessages, type ChatMessage } from './prompts.ts';
import {
  chunkListOf, chunksKey, docKey, DocumentStateSchema, failedKey, finalKey, mapKey, mapSpecHash, reduceKey, reportKey, skippedKey, stateOf,
  type ChunkRef, type DocumentState, type SkippedState,
} from './step-keys.ts';
import { putTextParts, readTextParts, TEXT_PART_CHARS } from './stored-text.ts';

export interface AnalysisDeps extends KeyDeps {
  store: CheckpointStoreApi;
  /** Identifies this process's lease on the session. */
  owner: string;
  prices?: PriceTable;
  retry?: RetryPolicyOptions;
  flushMs?: number;
  stallMs?: number;
  clock?: Clock;
  contextWindows?: ReadonlyArray<{ model: string; tokens: number }>;
  /** Reads one document (default: in a worker); stops, rejecting, when `signal` aborts. */
  ingest?: (path: string, signal: AbortSignal) => Promise<IngestedDocument>;
  heartbeatMs?: number;
  /** Largest part a document text or chunk list is stored in (test seam; default TEXT_PART_CHARS). */
  textPartChars?: number;
}

export type AnalysisEvent =
  | { type: 'status'; status: SessionStatus; reason: Reason | null; retryAt: string | null }
  | { type: 'progress'; done: number; total: number; failed: number; etaSeconds: number | null; usage: Usage }
  | { type: 'step'; stepKey: string; kind: string; label: StepLabel; cached: boolean; checkpointId: string; memoKey?: string; usage?: Usage }
  | { type: 'delta'; stepKey: string; attempt: number; text: string }
  /** The first `chars` characters of this attempt's answer are on disk (each write the store acknowledged). */
  | { type: 'saved'; stepKey: string; attempt: number; chars: number }
  | { type: 'attempt'; stepKey: string; label: StepLabel | null; attempt: number; try: number; maxAttempts: number }
  | { type: 'waiting'; stepKey: string; until: string; reason: Reason }
  /** What the provider's limits allow, as observed (its headers, its 429s): the run goes at that pace. */
  | ({ type: 'limits' } & ProviderLimits)
  | { type: 'warning'; message: string; hint?: string }
  /** The report's citations checked: each quoted phrase looked for in the chunk its citation resolves to. */
  | ({ type: 'citations' } & CitationSummary);

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (event: AnalysisEvent) => void;
  /** Only retry these failed chunk indexes (the others are left as they are). */
  onlyChunks?: number[];
}

export interface RunOutcome {
  status: SessionStatus;
  reason: Reason | null;
  /** CLI exit code: 0 done, 2 bad input, 3 configuration/auth, 4 paused and resumable, 130 interrupted, 1 failed. */
  exitCode: 0 | 1 | 2 | 3 | 4 | 130;
  report: string | null;
  requests: number;
  memoHits: number;
}

export class AnalysisError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, hint?: string) {
    super(message);
    this.name = 'AnalysisError';
    this.code = code;
    this.hint = hint;
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const NO_FINDINGS = /^\s*no findings\.?\s*$/i;

/**
 * What a run reads back from the head path: the steps it may skip. Notes, drafts
 * and answers are not read, and of the steps only what says they are done, so a
 * long history costs a resume little more than its own steps' ids.
 */
export const RUN_KINDS = ['document', 'chunks', 'map', 'reduce', 'report'] as const satisfies readonly CheckpointKind[];

export interface Ctx {
  /** The head path when the run started, or its RUN_KINDS steps (a run never moves the head back). */
  path: readonly StepRef[];
  /** `kind|stepKey` of every step in `path`, kept current as this run appends. */
  onPath: Set<string>;
  deps: AnalysisDeps;
  store: CheckpointStoreApi;
  sessionId: string;
  emit: (e: AnalysisEvent) => void;
  signal: AbortSignal;
  abort: (reason: unknown) => void;
  runner: StepRunner;
  client: ProviderClient;
  progress: ProgressTracker;
  counters: { requests: number; memoHits: number };
  /** The label of every model step started in this run, by step key, for its attempt events. */
  labels: Map<string, StepLabel>;
}

/** Refuses a run of a session that may not run again (stopped for good). */
export function refuseUnlessRunnable(session: Session): void {
  if (isRunnable(session) || isActive(session)) return;
  throw new AnalysisError('not_resumable', `"${session.name}" was stopped for good, so it cannot run again.`, 'Fork it from a checkpoint on its Timeline to continue, or export what it has.');
}

/** Runs (or resumes) a session until it is done, paused, or stopped. Never throws for model or store faults: they become the outcome. */
export async function runSession(sessionId: string, deps: AnalysisDeps, opts: RunOptions = {}): Promise<RunOutcome> {
  const { store } = deps;
  const emit = observerOf(opts.onEvent);
  refuseUnlessRunnable(store.getSession(sessionId));
  const lease = store.acquireLease(sessionId, deps.owner);
  if (!lease) {
    throw new AnalysisError('lease_held', 'This session is being run by another Cairn process (the desktop app or another `cairn` command).', 'Wait for it to finish or stop it there; a process that died releases the session within 10 seconds.');
  }
  const stopAll = new AbortController();
  let stoppedByCaller = false;
  const onOuterAbort = () => {
    if (!stopAll.signal.aborted) stoppedByCaller = true;
    stopAll.abort(opts.signal?.reason);
  };
  if (opts.signal?.aborted) onOuterAbort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const heartbeat = setInterval(() => {
    try {
      if (!store.heartbeat(sessionId, deps.owner)) stopAll.abort(new AnalysisError('lease_lost', 'Another process took over this session.'));
    } catch {
      // A failed heartbeat write is retried on the next tick; the store reports real faults on commit.
    }
  }, deps.heartbeatMs ?? 2_000);
  heartbeat.unref?.();
  const counters = { requests: 0, memoHits: 0 };

  const setStatus = (status: SessionStatus, reason: Reason | null, retryAt: string | null = null) => {
    store.updateSession(sessionId, { status, reason, retryAt });
    emit({ type: 'status', status, reason, retryAt });
  };

  try {
    const session = store.getSession(sessionId);
    setStatus('running', null);
    const cfg = session.config;
    const progress = new ProgressTracker(0, cfg.concurrency);
    const labels = new Map<string, StepLabel>();
    const { runner, client } = await createRunner(session, deps, emit, counters, setStatus, labels);
    const path = store.headPathSteps(sessionId, RUN_KINDS);
    const ctx: Ctx = { path, onPath: pathKeys(path), deps, store, sessionId, emit, signal: stopAll.signal, abort: (r) => { if (!stopAll.signal.aborted) stopAll.abort(r); }, runner, client, progress, counters, labels };

    const docs = await ingestDocuments(ctx, cfg.documents);
    const chunks = await prepareChunks(ctx, docs, { model: cfg.provider.model, chunkTokens: cfg.chunkTokens, overlapTokens: Math.min(cfg.overlapTokens, Math.floor(cfg.chunkTokens / 2)) });
    progress.setTotal(chunks.length + 1);
    const publish = () => {
      const p = progress.snapshot();
      store.updateSession(sessionId, { progress: p });
      emit({ type: 'progress', ...p, usage: store.getSession(sessionId).usage });
    };

    const findings = await mapChunks(ctx, chunks, cfg.task, cfg.temperature, cfg.concurrency, publish, opts.onlyChunks);
    if (stopAll.signal.aborted) {
      // A fault that stopped every worker carries its reason; the caller's signal means the user (or a signal) stopped the run.
      const r: unknown = stopAll.signal.reason;
      throw stoppedByCaller || r === undefined ? cancelledError() : r;
    }
    const failed = chunks.filter((c) => !findings.has(c.index)).map((c) => c.index);
    if (failed.length > 0) {
      const reason: Reason = {
        code: 'attempts_exhausted',
        message: `${failed.length} of ${chunks.length} passages could not be analysed after every retry (${failed.slice(0, 8).map((i) => `#${i + 1}`).join(', ')}${failed.length > 8 ? ', …' : ''}). Everything else is saved.`,
        hint: 'Resume the session to retry just those passages; nothing already analysed is requested again.',
      };
      // No retry is coming: the session is paused with its reason until the user resumes it.
      setStatus('paused', reason, null);
      return { status: 'paused', reason, exitCode: 4, report: null, ...counters };
    }

    const report = await reduceToReport(ctx, chunks, findings, cfg.task, cfg.temperature);
    progress.stepDone(null);
    publish();
    setStatus('done', null);
    return { status: 'done', reason: null, exitCode: 0, report, ...counters };
  } catch (err) {
    return failOutcome(err, setStatus, counters);
  } finally {
    clearInterval(heartbeat);
    opts.signal?.removeEventListener('abort', onOuterAbort);
    try {
      store.releaseLease(sessionId, deps.owner);
    } catch {
      // The lease goes stale on its own if the store cannot write now.
    }
  }
}

/** Events only inform: an observer that throws (a closed pipe, a gone window) must not fail the step that emitted them. */
export function observerOf(onEvent: ((e: AnalysisEvent) => void) | undefined): (e: AnalysisEvent) => void {
  if (!onEvent) return () => undefined;
  return (e) => {
    try {
      onEvent(e);
    } catch {
      // The work is saved either way; the observer hears the next event.
    }
  };
}

export const pathKey = (kind: string, stepKey: string | null) => `${kind}|${stepKey ?? ''}`;

export function pathKeys(path: ReadonlyArray<Pick<StepRef, 'kind' | 'stepKey'>>): Set<string> {
  return new Set(path.map((cp) => pathKey(cp.kind, cp.stepKey)));
}

/** The provider client and step runner for a session, with its events wired to `emit`. */
export async function createRunner(
  session: Session,
  deps: AnalysisDeps,
  emit: (e: AnalysisEvent) => void,
  counters: { requests: number; memoHits: number },
  setStatus: (status: SessionStatus, reason: Reason | null, retryAt?: string | null) => void,
  labels: ReadonlyMap<string, StepLabel> = new Map(),
): Promise<{ runner: StepRunner; client: ProviderClient }> {
  const cfg = session.config;
  const client = await createProviderClient(cfg.provider, { env: deps.env ?? process.env, keyStore: deps.keyStore ?? null });
  const clock = deps.clock ?? realClock;
  const throttle = new ProviderThrottle(cfg.concurrency, clock);
  throttle.on('limits', (l) => emit({ type: 'limits', ...l }));
  const runner = new StepRunner({
    store: deps.store,
    client,
    prices: deps.prices ?? new PriceTable(),
    budget: new SessionBudget(cfg.budgetUsd, session.usage.costUsd),
    gate: new RateLimitGate(clock),
    throttle,
    retry: { maxAttempts: cfg.maxAttempts, ...deps.retry },
    clock,
    flushMs: deps.flushMs ?? 250,
    stallMs: deps.stallMs ?? 60_000,
    resumePolicy: cfg.resumePolicy,
  });
  let waiting = false;
  runner.on('delta', (e) => emit({ type: 'delta', stepKey: e.stepKey, attempt: e.attempt, text: e.text }));
  runner.on('saved', (e) => emit({ type: 'saved', stepKey: e.stepKey, attempt: e.attempt, chars: e.chars }));
  runner.on('attempt', (e) => {
    counters.requests += 1;
    if (waiting) {
      waiting = false;
      setStatus('running', null);
    }
    emit({ type: 'attempt', stepKey: e.stepKey, label: labels.get(e.stepKey) ?? null, attempt: e.attempt, try: e.try, maxAttempts: e.maxAttempts });
  });
  runner.on('waiting', (e) => {
    waiting = true;
    setStatus('waiting', e.reason, e.until);
    emit({ type: 'waiting', stepKey: e.stepKey, until: e.until, reason: e.reason });
  });
  return { runner, client };
}

export function failOutcome(
  err: unknown,
  setStatus: (s: SessionStatus, r: Reason | null, retryAt?: string | null) => void,
  counters: { requests: number; memoHits: number },
): RunOutcome {
  const base = { report: null, ...counters };
  const record = (status: SessionStatus, reason: Reason, exitCode: RunOutcome['exitCode']): RunOutcome => {
    try {
      setStatus(status, reason);
    } catch {
      // The store itself may be what failed (disk full): the outcome still says why.
    }
    return { status, reason, exitCode, ...base };
  };
  if (isEngineError(err)) {
    const reason = err.toReason();
    switch (err.category) {
      case 'auth':
      case 'model_not_found':
      case 'invalid_request':
        return record('paused', reason, 3);
      case 'budget':
      case 'disk':
        return record('paused', reason, 4);
      case 'cancelled':
        return record('paused', { code: PAUSED_ON_REQUEST, message: 'Stopped on request. Everything received so far is saved.', hint: 'Resume the session to continue where it stopped.' }, 130);
      case 'rate_limit':
      case 'transient':
        // Retries ran out; only a timed retry is `waiting` (it has a retry time), this one waits for Resume.
        return record('paused', reason, 4);
      default:
        return record('failed', reason, 1);
    }
  }
  if (err instanceof AnalysisError) {
    if (err.code === 'lease_lost') return { status: 'running', reason: { code: err.code, message: err.message }, exitCode: 4, ...base };
    const reason: Reason = { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
    return record('failed', reason, err.code === 'no_documents' ? 2 : 1);
  }
  const e = err as { code?: unknown; message?: unknown; hint?: unknown };
  if (e && typeof e.code === 'string' && ['disk_full', 'read_only', 'permission_denied', 'io_error', 'busy'].includes(e.code)) {
    return record('paused', { code: e.code, message: String(e.message), ...(typeof e.hint === 'string' && e.hint ? { hint: e.hint } : {}) }, 4);
  }
  const message = err instanceof Error ? err.message : String(err);
  return record('failed', { code: 'internal', message: `Unexpected error: ${message}`, hint: 'Your completed steps are saved. Resume to try again.' }, 1);
}

/**
 * Whether a document still has the bytes a session read: the recorded size and
 * mtime settle it when they match; otherwise (or for sessions that did not
 * record them) the file is hashed, so a file only touched is not "changed".
 */
export async function documentOnDisk(path: string, state: DocumentState): Promise<'same' | 'changed' | 'missing'> {
  let now: Awaited<ReturnType<typeof stat>>;
  try {
    now = await stat(path);
  } catch {
    return 'missing';
  }
  if (!now.isFile()) return 'missing';
  if (state.size === now.size && state.mtimeMs === now.mtimeMs) return 'same';
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch {
    return 'missing';
  }
  return hash.digest('hex') === state.sha256 ? 'same' : 'changed';
}

interface LoadedDoc {
  index: number;
  state: DocumentState;
  text: string;
  sourceMap: SourceSegment[];
}

async function ingestDocuments(ctx: Ctx, paths: readonly string[]): Promise<LoadedDoc[]> {
  const { store, sessionId } = ctx;
  if (paths.length === 0) throw new AnalysisError('no_documents', 'The session has no documents to analyse.', 'Add at least one PDF, DOCX, Markdown, text or HTML file.');
  const onPath = ctx.path.filter((cp) => cp.kind === 'document').map((cp) => store.getCheckpoint(cp.id));
  const loaded: LoadedDoc[] = [];
  const problems: string[] = [];
  for (const [index, path] of paths.entries()) {
    const existing = onPath.find((cp) => stateOf(cp, DocumentStateSchema)?.path === path);
    const existingState = existing ? stateOf(existing, DocumentStateSchema) : null;
    if (existing && existingState && (existing.outputHash || existingState.textParts)) {
      const state = existingState;
      const text = state.textParts ? readTextParts(store, state.textParts) : store.getBlob(existing.outputHash ?? '');
      loaded.push({ index, state, text, sourceMap: JSON.parse(store.getBlob(state.sourceMapHash)) as SourceSegment[] });
      // The session goes on with the text it read (so its results stay consistent), and says so when the file moved on.
      const onDisk = await documentOnDisk(path, state);
      if (onDisk === 'changed') {
        ctx.emit({
          type: 'warning',
          message: `${state.name} has changed on disk since this session read it (${existing.createdAt.slice(0, 10)}). The session goes on with the text it read then, so its results stay consistent.`,
          hint: 'To analyse the new version, start a new analysis with the file.',
        });
      } else if (onDisk === 'missing') {
        ctx.emit({ type: 'warning', message: `${state.name} is no longer at ${path}. The session goes on with the text it read on ${existing.createdAt.slice(0, 10)}.` });
      }
      continue;
    }
    if (ctx.signal.aborted) throw cancelledError();
    try {
      // Stat before reading: a change made while it is read shows as a change on the next resume.
      const seen = await stat(path).catch(() => null);
      const doc = await (ctx.deps.ingest ?? ((p: string, signal: AbortSignal) => ingestInWorker(p, { signal, onAbort: cancelledError })))(path, ctx.signal);
      if (ctx.signal.aborted) throw cancelledError();
      const dup = findDuplicate(loaded.map((d) => d.state), doc);
      if (dup) {
        ctx.emit({ type: 'warning', message: `${doc.name} is the same file as ${dup.name}; it is analysed once.` });
        continue;
      }
      const sourceMapHash = store.putBlob(JSON.stringify(doc.sourceMap));
      // A text over one blob's size (any text file up to the document limit can be) is stored in parts.
      const partChars = ctx.deps.textPartChars ?? TEXT_PART_CHARS;
      const textParts = doc.text.length > partChars ? putTextParts(store, doc.text, partChars) : null;
      const state: DocumentState = {
        path, name: doc.name, format: doc.format, sha256: doc.sha256, textHash: doc.textSha256, sourceMapHash, pages: doc.pages, warnings: doc.warnings,
        ...(seen ? { size: seen.size, mtimeMs: seen.mtimeMs } : {}),
        ...(textParts ? { textParts } : {}),
      };
      const cp = store.appendCheckpoint(sessionId, { kind: 'document', stepKey: docKey(doc.sha256), state, ...(textParts ? {} : { output: doc.text }) });
      ctx.onPath.add(pathKey(cp.kind, cp.stepKey));
      // The readers' warnings already name the file.
      for (const w of doc.warnings) ctx.emit({ type: 'warning', message: w });
      ctx.emit({ type: 'step', stepKey: cp.stepKey ?? '', kind: 'document', label: { kind: 'document', index: null, total: null, label: doc.name }, cached: false, checkpointId: cp.id });
      loaded.push({ index, state, text: doc.text, sourceMap: doc.sourceMap });
    } catch (err) {
      if (!isDocumentError(err)) throw err;
      // One bad file does not stop the others: the run says which it skipped and why, and the session keeps it as a note.
      problems.push(`${err.message} ${err.hint}`);
      const key = skippedKey(path);
      if (!ctx.onPath.has(pathKey('note', key))) {
        const skipped: SkippedState = { path, name: displayName(path), code: err.code, message: err.message, hint: err.hint };
        store.appendCheckpoint(sessionId, { kind: 'note', stepKey: key, state: skipped });
        ctx.onPath.add(pathKey('note', key));
      }
      ctx.emit({ type: 'warning', message: `Skipped ${displayName(path)}: ${err.message}`, hint: err.hint });
    }
  }
  if (loaded.length === 0) throw new AnalysisError('no_documents', problems.length ? `No document could be read. ${problems.join(' ')}` : 'No document could be read.', 'Fix or replace the files named above and run again.');
  return loaded;
}

async function prepareChunks(ctx: Ctx, docs: LoadedDoc[], opts: { model: string; chunkTokens: number; overlapTokens: number }): Promise<Array<ChunkRef & { text: string }>> {
  const { store, sessionId } = ctx;
  // The tokenizer decides the cuts, not the model name: switching to a model with the same encoding keeps the chunks.
  const key = chunksKey(sha256(JSON.stringify({ docs: docs.map((d) => d.state.textHash), encoding: encodingForModel(opts.model), chunkTokens: opts.chunkTokens, overlapTokens: opts.overlapTokens })));
  const existing = ctx.path.filter((cp) => cp.kind === 'chunks' && cp.stepKey === key).at(-1);
  if (existing) {
    const list = chunkListOf(store.getCheckpoint(existing.id), (h) => store.getBlob(h));
    if (list) return list.map((c) => withStoredText(c, store));
  }
  const refs: Array<ChunkRef & { text: string }> = [];
  for (const d of docs) {
    // Yields as it goes, so a stop (Ctrl-C) during a long document is heard within a moment.
    const chunks: Chunk[] = await chunkDocumentAsync({ text: d.text, sourceMap: d.sourceMap, pages: d.state.pages }, opts, ctx.signal, cancelledError);
    for (const c of chunks) {
      const textHash = store.putBlob(c.text);
      const label = c.source.label;
      refs.push({ index: refs.length, doc: d.index, textHash, tokens: c.tokens, label, pages: c.source.pages, headingPath: c.source.headingPath, sections: c.source.sections, text: c.text });
    }
  }
  const list = JSON.stringify(refs.map(({ text: _t, ...r }) => r));
  const partChars = ctx.deps.textPartChars ?? TEXT_PART_CHARS;
  const listParts = list.length > partChars ? putTextParts(store, list, partChars) : null;
  const state = { ...opts, count: refs.length, ...(listParts ? { listParts } : {}) };
  const cp = store.appendCheckpoint(sessionId, { kind: 'chunks', stepKey: key, state, ...(listParts ? {} : { output: list }) });
  ctx.onPath.add(pathKey(cp.kind, cp.stepKey));
  ctx.emit({ type: 'step', stepKey: key, kind: 'chunks', label: { kind: 'chunks', index: null, total: refs.length, label: null }, cached: false, checkpointId: cp.id });
  return refs;
}

/** A chunk whose text is read from the store when first used: a resume needs only the texts of the passages still to do before its first request. */
function withStoredText(ref: ChunkRef, store: CheckpointStoreApi): ChunkRef & { readonly text: string } {
  return Object.assign(new StoredText(ref.textHash, store), ref);
}

class StoredText {
  readonly #hash: string;
  readonly #store: CheckpointStoreApi;
  #text: string | null = null;
  constructor(hash: string, store: CheckpointStoreApi) {
    this.#hash = hash;
    this.#store = store;
  }

  get text(): string {
    return (this.#text ??= this.#store.getBlob(this.#hash));
  }
}

/** Runs one model step; a memo hit is recorded on this session's path at no cost. */
export async function step(ctx: Ctx, spec: StepSpec, label: StepLabel): Promise<string> {
  ctx.labels.set(spec.stepKey, label);
  const outcome = await ctx.runner.run(spec, ctx.signal);
  if (outcome.memoHit) {
    ctx.counters.memoHits += 1;
    if (!ctx.onPath.has(pathKey(spec.kind, spec.stepKey))) {
      const cp = ctx.store.appendCheckpoint(ctx.sessionId, {
        kind: spec.kind, stepKey: spec.stepKey,
        state: { ...(typeof spec.state === 'object' && spec.state && !Array.isArray(spec.state) ? spec.state : {}), memoOf: outcome.checkpointId },
        output: outcome.output,
      });
      ctx.onPath.add(pathKey(spec.kind, spec.stepKey));
      ctx.emit({ type: 'step', stepKey: spec.stepKey, kind: spec.kind, label, cached: true, checkpointId: cp.id, memoKey: outcome.memoKey, usage: outcome.usage });
    }
  } else {
    ctx.onPath.add(pathKey(spec.kind, spec.stepKey));
    ctx.emit({ type: 'step', stepKey: spec.stepKey, kind: spec.kind, label, cached: false, checkpointId: outcome.checkpointId, memoKey: outcome.memoKey, usage: outcome.usage });
  }
  return outcome.output;
}

function shrinkPassage(task: string, label: string, text: string) {
  return (): ChatMessage[] | null => (text.length < 400 ? null : mapMessages(task, { label, text: text.slice(0, Math.floor(text.length * 0.6)) }));
}

async function mapChunks(
  ctx: Ctx,
  chunks: Array<ChunkRef & { text: string }>,
  task: string,
  temperature: number,
  concurrency: number,
  publish: () => void,
  only?: number[],
): Promise<Map<number, string>> {
  const { store, sessionId } = ctx;
  const findings = new Map<number, string>();
  const path = ctx.path;
  const specHash = mapSpecHash(task, temperature);
  const mapped = new Map(path.filter((x) => x.kind === 'map').map((x) => [x.stepKey, x]));
  /** Chunk index → output hash of the passages done before this run. */
  const earlier = new Map<number, string>();
  for (const c of chunks) {
    const cp = mapped.get(mapKey(c.index, c.textHash, specHash));
    if (cp?.outputHash) {
      earlier.set(c.index, cp.outputHash);
      ctx.progress.stepDone(null);
    }
  }
  publish();
  const todo = chunks.filter((c) => !earlier.has(c.index) && (!only || only.includes(c.index)));
  let next = 0;
  const worker = async () => {
    try {
      await work();
    } catch (err) {
      // A store fault outside the model call (progress, a failure note) stops every worker: none may go on calling the model once the run returns.
      ctx.abort(err);
    }
  };
  const work = async () => {
    while (next < todo.length && !ctx.signal.aborted) {
      const c = todo[next++]!;
      const stepKey = mapKey(c.index, c.textHash, specHash);
      const started = Date.now();
      try {
        const output = await step(ctx, {
          sessionId, stepKey, kind: 'map', task,
          messages: mapMessages(task, { label: c.label, text: c.text }),
          parameters: { temperature },
          state: { index: c.index, label: c.label },
          shrink: shrinkPassage(task, c.label, c.text),
        }, { kind: 'passage', index: c.index + 1, total: chunks.length, label: c.label });
        findings.set(c.index, output);
        ctx.progress.stepDone(Date.now() - started);
      } catch (err) {
        const e = isEngineError(err) ? err : null;
        const perChunk = e && (e.retryable || e.category === 'context_length' || e.category === 'internal') && !affectsEveryStep(e) && !ctx.signal.aborted;
        if (!perChunk) {
          // Auth, budget, disk, cancellation, a server that is not there: every worker stops; the first reason wins.
          ctx.abort(err);
          return;
        }
        store.appendCheckpoint(sessionId, { kind: 'note', stepKey: failedKey(stepKey), state: { stepKey, index: c.index, code: e.code, message: e.message } });
        ctx.progress.stepFailed();
        ctx.emit({ type: 'warning', message: `Passage #${c.index + 1} [${c.label}] failed: ${e.message}` });
      }
      publish();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, todo.length)) }, worker));
  // Earlier findings are read once the passages are done, for the reduce: a resume's first request does not wait for them.
  if (!ctx.signal.aborted) for (const [index, hash] of earlier) findings.set(index, store.getBlob(hash));
  return findings;
}

async function reduceToReport(ctx: Ctx, chunks: Array<ChunkRef & { text: string }>, findings: Map<number, string>, task: string, temperature: number): Promise<string> {
  const { store, sessionId } = ctx;
  const model = ctx.client.profile.model;
  const window = contextWindowFor(model, ctx.deps.contextWindows, ctx.client.profile.contextTokens);
  // Leave room for the answer and for the tokenizer's distance from the provider's.
  const budget = Math.floor(window * 0.6);
  let level = 0;
  let items: Array<{ label: string | null; text: string }> = chunks
    .filter((c) => !NO_FINDINGS.test(findings.get(c.index) ?? ''))
    .map((c) => ({ label: c.label, text: findings.get(c.index) ?? '' }));
  if (items.length === 0) items = [{ label: 'document', text: 'No findings in any passage.' }];

  while (countChatTokens(reduceMessages(task, items, true), model) > budget && items.length > 1) {
    level += 1;
    const groups: Array<typeof items> = [];
    let current: typeof items = [];
    for (const it of items) {
      const candidate = [...current, it];
      if (current.length > 0 && countChatTokens(reduceMessages(task, candidate, false), model) > budget) {
        groups.push(current);
        current = [it];
      } else current = candidate;
    }
    if (current.length) groups.push(current);
    if (groups.length === items.length) {
      // Every finding alone is near the budget: pair them so the level still shrinks.
      groups.splice(0, groups.length, ...Array.from({ length: Math.ceil(items.length / 2) }, (_, i) => items.slice(i * 2, i * 2 + 2)));
    }
    ctx.progress.setTotal(ctx.progress.snapshot().total + groups.length);
    const reduced: typeof items = [];
    for (const [g, group] of groups.entries()) {
      const messages = reduceMessages(task, group, false);
      const stepKey = reduceKey(level, g, sha256(JSON.stringify(messages)));
      const text = await step(ctx, { sessionId, stepKey, kind: 'reduce', task, messages, parameters: { temperature }, state: { level, group: g } }, { kind: 'combine', index: g + 1, total: groups.length, label: null });
      ctx.progress.stepDone(null);
      reduced.push({ label: null, text });
    }
    items = reduced;
  }

  const messages = reduceMessages(task, items, true);
  const inputHash = sha256(JSON.stringify(messages));
  const report = await step(ctx, { sessionId, stepKey: finalKey(inputHash), kind: 'reduce', task, messages, parameters: { temperature }, state: { level: level + 1, group: 0, final: true } }, { kind: 'combine', index: null, total: null, label: null });
  const rKey = reportKey(inputHash);
  if (!ctx.onPath.has(pathKey('report', rKey))) {
    const checked = checkReportCitations(report, chunks.map((c) => ({
      index: c.index, text: c.text, tokens: c.tokens, start: 0, end: c.text.length, hash: c.textHash,
      source: { label: c.label, pages: c.pages, headingPath: c.headingPath, sections: c.sections },
    })));
    const citations = checked.citations.map((c) => ({ label: c.label, chunkIndex: c.chunkIndex, valid: c.chunkIndex !== null, quote: c.quote, quoteCheck: c.quoteCheck }));
    const invalid = citations.filter((c) => !c.valid);
    if (invalid.length) ctx.emit({ type: 'warning', message: `The report cites ${invalid.map((c) => `[${c.label}]`).join(', ')}, which match no passage; they are flagged in the report view.` });
    const unverified = citations.filter((c) => c.valid && c.quoteCheck === 'unverified');
    if (unverified.length) {
      ctx.emit({
        type: 'warning',
        message: `${unverified.length} of ${citations.length} citations quote text that is not in the passage they cite: ${unverified.slice(0, 5).map((c) => `"${(c.quote ?? '').slice(0, 60)}" [${c.label}]`).join(', ')}${unverified.length > 5 ? ', …' : ''}.`,
        hint: 'They are marked unverified in the report and the exports; check those quotes against the document.',
      });
    }
    ctx.emit({ type: 'citations', ...checked.summary });
    const cp = store.appendCheckpoint(sessionId, { kind: 'report', stepKey: rKey, state: { citations, failedChunks: [] }, output: report });
    ctx.onPath.add(pathKey(cp.kind, cp.stepKey));
    ctx.emit({ type: 'step', stepKey: rKey, kind: 'report', label: { kind: 'report', index: null, total: null, label: null }, cached: false, checkpointId: cp.id });
  }
  return report;
}
