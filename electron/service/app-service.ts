// The application service: every channel that needs the engine or the store,
// in plain Node. Sessions run in the background here; their progress, status,
// checkpoints and (coalesced) streamed text go out as contract events.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { SessionConfigSchema, type ProviderProfile, type Session, type SessionConfig } from '../../shared/domain.ts';
import type { EngineChannelName, EventName, EventPayload, ParsedRequestOf, ResponseOf } from '../../shared/ipc/index.ts';
import type { DocumentPreview, NewSession } from '../../shared/ipc/sessions.ts';
import { SIMULATOR_MODEL, SIMULATOR_PROVIDER_NAME, simulatorProfileAt } from '../../shared/providers.ts';
import { canEditSettings, isActive, isAutoResumable } from '../../shared/session-state.ts';
import { SettingsSchema, type Settings } from '../../shared/settings.ts';
import { resolveDataDir } from '../store/data-dir.ts';
import { chunkDocument } from '../engine/documents/chunker.ts';
import { isDocumentError } from '../engine/documents/document-error.ts';
import { ingestInWorker } from '../engine/documents/ingest-in-worker.ts';
import { preflightDocuments } from '../engine/documents/preflight.ts';
import { refuseUnlessRunnable, runSession, type AnalysisDeps, type AnalysisEvent } from '../engine/pipeline/analysis.ts';
import { depsFromSettings } from '../engine/pipeline/settings-deps.ts';
import { rollbackSession, undoRollbackSession } from '../engine/pipeline/head-status.ts';
import { stopForGood } from '../engine/pipeline/stop.ts';
import { askQuestion } from '../engine/pipeline/ask.ts';
import { estimateAnalysis } from '../engine/pipeline/estimate.ts';
import { renderExport } from '../engine/pipeline/export.ts';
import { defaultSessionName, taskFor } from '../engine/pipeline/prompts.ts';
import { readResults, toExportModel, toSessionDetail } from '../engine/pipeline/read-model.ts';
import { PriceTable } from '../engine/pricing.ts';
import { EngineError } from '../engine/errors.ts';
import { testConnection } from '../engine/provider/connection-test.ts';
import type { KeyStore } from '../engine/provider/keys.ts';
import { startSimulator, type Simulator } from '../engine/simulator/index.ts';
import { CheckpointStore } from '../store/checkpoint-store.ts';
import { StoreError } from '../store/errors.ts';
import { IpcFailure } from './ipc-errors.ts';
import { lineDiff } from './line-diff.ts';
import { StreamCoalescer } from './stream-coalescer.ts';
import type { AppService, ServiceConfig, ServiceEventListener } from './types.ts';

const STREAM_EVENT_MS = 50;

export interface AppServiceOptions {
  /** Overrides the data directory the settings name (tests, the CLI-shared default). */
  dataDir?: string;
  appVersion?: string;
  /** Simulator options for the built-in provider (tests make it slow or faulty). */
  simulator?: Parameters<typeof startSimulator>[0];
  /** Passed to every run: retry timing in tests. */
  runDeps?: Partial<Pick<AnalysisDeps, 'retry' | 'stallMs' | 'heartbeatMs'>>;
  /** Asks main to decrypt the stored keys (the engine starts without them). */
  requestKeys?: () => void;
  /** How long a provider waits for the system keychain before it reports that it is waiting. Default 60 s. */
  keychainWaitMs?: number;
}

const KEYCHAIN_WAIT_MS = 60_000;

/** Waits for `work`, at most `ms`; the timer never outlives the wait. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
  live: Map<string, 'running'>;
}

type Handlers = { [C in EngineChannelName]: (req: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> };

export async function createAppService(opts: AppServiceOptions = {}): Promise<AppService> {
  const listeners = new Set<ServiceEventListener>();
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    for (const l of listeners) {
      try {
        l(name, payload);
      } catch {
        // Events are notifications: a listener that fails (a closed port) must not fail the request or the run that emitted them.
      }
    }
  };
  const owner = `app-${process.pid}-${randomBytes(4).toString('hex')}`;
  let config: ServiceConfig = { settings: SettingsSchema.parse({}), keys: {} };
  let store: CheckpointStore | null = null;
  let configured: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (configured = resolve));
  let simulator: Promise<Simulator> | null = null;
  const running = new Map<string, Running>();
  /** Follow-up questions being answered, so Pause and quitting can stop them (their partial is kept). */
  const asking = new Map<string, AbortController>();

  const openStore = (settings: Settings) => {
    if (store) return;
    store = CheckpointStore.open({ dataDir: opts.dataDir ?? resolveDataDir(settings.dataDir), appVersion: opts.appVersion ?? '0.1.0' });
    store.recoverInterrupted();
  };
  if (opts.dataDir) {
    openStore(config.settings);
    configured();
  }
  const db = (): CheckpointStore => {
    if (!store) throw new IpcFailure('not_ready', 'The engine is still starting.', 'Try again in a moment.');
    return store;
  };

  // Keys are decrypted by main only when a provider first needs one, so a keychain prompt never holds up the engine.
  const keychainWaiters = new Set<() => void>();
  const unlocked = async (): Promise<ServiceConfig> => {
    if ((config.keychain ?? 'ready') === 'ready') return config;
    opts.requestKeys?.();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        keychainWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, opts.keychainWaitMs ?? KEYCHAIN_WAIT_MS);
      keychainWaiters.add(done);
    });
    if ((config.keychain ?? 'ready') !== 'ready') {
      throw new EngineError({
        category: 'auth', code: 'keychain_waiting',
        message: 'Cairn is waiting for the system keychain to unlock your stored API keys.',
        hint: 'Answer the keychain prompt (it may be behind other windows), then resume or test again.',
      });
    }
    return config;
  };
  const keyStore: KeyStore = {
    get: async (profile) => (await unlocked()).keys[profile] ?? null,
    headers: async (provider) => (await unlocked()).headers?.[provider] ?? {},
  };

  const coalescer = new StreamCoalescer((piece) => emit('stream:text', piece), STREAM_EVENT_MS);

  const getSimulator = () => (simulator ??= startSimulator({ words: 90, tokensPerSecond: 60, ...opts.simulator }));
  const simulatorProfile = (sim: Simulator): ProviderProfile => simulatorProfileAt(sim.baseURL);

  const findProvider = async (name: string, model?: string): Promise<ProviderProfile> => {
    if (name === SIMULATOR_PROVIDER_NAME) return simulatorProfile(await getSimulator());
    const p = config.settings.providers.find((x) => x.name === name);
    if (!p) throw new IpcFailure('unknown_provider', `There is no provider named "${name}".`, 'Open Settings → Providers to add it, or pick another.');
    if (p.simulator) return simulatorProfile(await getSimulator());
    return model ? { ...p, model } : p;
  };

  const configFor = async (req: NewSession): Promise<SessionConfig> => {
    const provider = await findProvider(req.providerName, req.model);
    const parsed = SessionConfigSchema.safeParse({
      task: taskFor(req.template, req.task),
      template: req.template,
      provider,
      documents: req.documents,
      ...(req.chunkTokens ? { chunkTokens: req.chunkTokens } : {}),
      ...(req.concurrency ? { concurrency: req.concurrency } : {}),
      budgetUsd: req.budgetUsd ?? null,
      resumePolicy: req.resumePolicy ?? config.settings.resumePolicy,
      maxAttempts: config.settings.retry.maxAttempts,
    });
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new IpcFailure('invalid_input', `Invalid setting ${i?.path.join('.')}: ${i?.message}.`);
    }
    return parsed.data;
  };

  const sessionChanged = (id: string) => {
    try {
      emit('session:changed', db().getSession(id));
    } catch {
      // The session may have been deleted meanwhile.
    }
  };

  const deps = (): AnalysisDeps => {
    const fromSettings = depsFromSettings(config.settings);
    return {
      ...fromSettings,
      store: db(),
      owner,
      retry: { ...fromSettings.retry, ...opts.runDeps?.retry },
      stallMs: opts.runDeps?.stallMs ?? fromSettings.stallMs,
      ...(opts.runDeps?.heartbeatMs ? { heartbeatMs: opts.runDeps.heartbeatMs } : {}),
      keyStore,
      env: process.env,
    };
  };

  const onAnalysisEvent = (sessionId: string, live: Map<string, 'running'>) => (e: AnalysisEvent) => {
    switch (e.type) {
      case 'status':
        sessionChanged(sessionId);
        break;
      case 'progress':
        emit('session:progress', { sessionId, progress: { done: e.done, total: e.total, failed: e.failed, etaSeconds: e.etaSeconds }, usage: e.usage });
        break;
      case 'attempt':
        live.set(e.stepKey, 'running');
        break;
      case 'warning':
        emit('session:warning', { sessionId, message: e.message.slice(0, 2_000), ...(e.hint ? { hint: e.hint.slice(0, 1_000) } : {}) });
        break;
      case 'limits': {
        const { type: _type, ...limits } = e;
        emit('session:limits', { sessionId, limits });
        break;
      }
      case 'delta':
        coalescer.push({ sessionId, stepKey: e.stepKey, attempt: e.attempt, text: e.text, done: false });
        break;
      case 'step': {
        live.delete(e.stepKey);
        coalescer.endAll(sessionId);
        try {
          emit('checkpoint:added', { sessionId, checkpoint: db().getCheckpoint(e.checkpointId) });
        } catch {
          // A memo hit can point at another session's checkpoint; the session's own follows.
        }
        break;
      }
      default:
        break;
    }
  };

  /** Starts (or resumes) a session in the background. */
  const launch = async (id: string, onlyChunks?: number[]): Promise<Session> => {
    if (running.has(id)) return db().getSession(id);
    const session = db().getSession(id);
    refuseUnlessRunnable(session);
    const controller = new AbortController();
    const live = new Map<string, 'running'>();
    // Registered before the first await, so a second start (a double click, resumeAll) joins this run instead of running the session twice.
    const done = (async () => {
      if (session.config.provider.simulator) {
        // The simulator listens on a new port each launch; memo keys do not depend on it.
        const sim = await getSimulator();
        db().updateSession(id, { config: { ...db().getSession(id).config, provider: simulatorProfile(sim) } });
      }
      await runSession(id, deps(), { signal: controller.signal, onEvent: onAnalysisEvent(id, live), ...(onlyChunks ? { onlyChunks } : {}) });
    })()
      .then(() => undefined, (err: unknown) => {
        const e = err as { code?: string; message?: string; hint?: string };
        // Another process holds the session (its status is that run's to write), or it was stopped for good meanwhile.
        if (e.code === 'lease_held' || e.code === 'not_resumable') return;
        try {
          db().updateSession(id, { status: 'paused', reason: { code: e.code ?? 'internal', message: e.message ?? String(err), ...(e.hint ? { hint: e.hint } : {}) } });
        } catch {
          // nothing more to record
        }
      })
      .finally(() => {
        coalescer.endAll(id);
        running.delete(id);
        sessionChanged(id);
      });
    running.set(id, { controller, done, live });
    return db().getSession(id);
  };

  /** Ends this process's run of the session (and any question being answered); the run records the pause. */
  const stopRun = async (id: string): Promise<Session> => {
    asking.get(id)?.abort(new Error('paused by the user'));
    const r = running.get(id);
    if (r) {
      r.controller.abort(new Error('paused by the user'));
      await settleWithin(r.done, 15_000);
    }
    return db().getSession(id);
  };

  const preview = async (path: string, chunkTokens: number, model: string): Promise<DocumentPreview> => {
    try {
      const doc = await ingestInWorker(path);
      const chunks = chunkDocument(doc, { model, chunkTokens, overlapTokens: Math.min(100, Math.floor(chunkTokens / 2)) });
      return {
        path, name: doc.name, ok: true, error: null, pages: doc.pages, sample: doc.text.slice(0, 600),
        tokens: chunks.reduce((s, c) => s + c.tokens, 0), chunks: chunks.length, warnings: doc.warnings.slice(0, 20).map((w) => w.slice(0, 1_000)),
      };
    } catch (err) {
      if (!isDocumentError(err)) throw err;
      return { path, name: basename(path), ok: false, error: { code: err.code, message: err.message, hint: err.hint }, pages: null, sample: '', tokens: 0, chunks: 0, warnings: [] };
    }
  };

  const handlers: Handlers = {
    'sessions:list': (req) => db().listSessions({ limit: req.limit, ...(req.cursor ? { cursor: req.cursor } : {}), ...(req.status ? { status: req.status } : {}), ...(req.query ? { query: req.query } : {}), ...(req.includeArchived ? { includeArchived: true } : {}) }),
    'sessions:get': (req) => db().getSession(req.id),
    'sessions:detail': (req) => toSessionDetail(readResults(db(), req.id, running.get(req.id)?.live)),
    'sessions:create': async (req) => {
      // Checked before a session exists: when no document can be read there is nothing to run and nothing to leave behind.
      const { ok, skipped } = await preflightDocuments(req.documents);
      if (ok.length === 0) throw new IpcFailure('invalid_input', skipped.map((e) => e.message).join('\n'), [...new Set(skipped.map((e) => e.hint))].join(' '));
      const cfg = await configFor(req);
      const name = req.name?.trim() || defaultSessionName(ok, req.template, cfg.task);
      const session = db().createSession({ name: name.slice(0, 200), config: cfg });
      emit('session:changed', session);
      return req.start ? launch(session.id) : session;
    },
    'sessions:start': (req) => launch(req.id),
    'sessions:resume': (req) => launch(req.id),
    'sessions:pause': (req) => stopRun(req.id),
    'sessions:stop': async (req) => {
      await stopRun(req.id);
      const s = stopForGood(db(), req.id, owner);
      emit('session:changed', s);
      return s;
    },
    'sessions:resumeAll': async () => {
      const ids = db().listSessions({ status: 'interrupted', limit: 500 }).items.filter(isAutoResumable).map((s) => s.id);
      for (const id of ids) await launch(id);
      return { resumed: ids };
    },
    'sessions:rename': (req) => {
      const s = db().updateSession(req.id, { name: req.name });
      emit('session:changed', s);
      return s;
    },
    'sessions:update': (req) => {
      const s = db().getSession(req.id);
      // A run reads its budget and model once, when it starts: a change mid-run would be silently ignored.
      if (running.has(req.id) || isActive(s)) {
        throw new IpcFailure('busy', `"${s.name || 'This session'}" is running, so its budget and model cannot change now.`, 'Pause it first, then change them and resume.');
      }
      if (!canEditSettings(s)) {
        throw new IpcFailure('not_resumable', `"${s.name || 'This session'}" was stopped for good, so its budget and model no longer apply.`, 'Fork it from a checkpoint on its Timeline to continue with other settings.');
      }
      const spent = s.usage.costUsd;
      if (req.budgetUsd != null && req.budgetUsd <= spent) {
        throw new IpcFailure('invalid_input', `A budget of $${req.budgetUsd.toFixed(2)} is not more than the $${spent.toFixed(4)} this session has already spent, so it would pause again at once.`, `Enter more than $${spent.toFixed(4)}.`);
      }
      const model = req.model?.trim();
      // The built-in simulator answers as one model and is re-attached at every launch.
      if (model !== undefined && s.config.provider.simulator && model !== s.config.provider.model) {
        throw new IpcFailure('invalid_input', `The built-in simulator has a single model (${s.config.provider.model}).`, 'Start a new analysis on a real provider (Settings → Providers) to try another model.');
      }
      const parsed = SessionConfigSchema.safeParse({
        ...s.config,
        ...(req.budgetUsd !== undefined ? { budgetUsd: req.budgetUsd } : {}),
        ...(model !== undefined ? { provider: { ...s.config.provider, model } } : {}),
      });
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new IpcFailure('invalid_input', `Invalid setting ${i?.path.join('.')}: ${i?.message}.`);
      }
      // Finished steps stay on the head path; with a new model the steps still to run get new memo keys.
      const updated = db().updateSession(req.id, { config: parsed.data });
      emit('session:changed', updated);
      return updated;
    },
    'sessions:archive': (req) => {
      const s = db().archiveSession(req.id, req.archived);
      emit('session:changed', s);
      return s;
    },
    'sessions:delete': async (req) => {
      await stopRun(req.id);
      db().deleteSession(req.id);
      return { ok: true as const };
    },
    'sessions:trash': () => ({ items: db().listSessions({ onlyTrashed: true, limit: 500 }).items }),
    'sessions:restore': (req) => {
      const s = db().restoreSession(req.id);
      emit('session:changed', s);
      return s;
    },
    'sessions:emptyTrash': () => {
      const purged = db().emptyTrash();
      return { purged, kept: db().listSessions({ onlyTrashed: true, limit: 500 }).items.length };
    },
    'sessions:retryChunk': (req) => launch(req.id, [req.index]),
    'sessions:ask': async (req) => {
      if (running.has(req.id)) throw new IpcFailure('busy', 'The analysis is still running.', 'Ask once it has finished, or pause it first.');
      const s = db().getSession(req.id);
      if (s.config.provider.simulator) db().updateSession(req.id, { config: { ...s.config, provider: simulatorProfile(await getSimulator()) } });
      const live = new Map<string, 'running'>();
      if (asking.has(req.id)) throw new IpcFailure('busy', 'A question about this session is being answered.', 'Wait for the answer, then ask the next one.');
      const controller = new AbortController();
      asking.set(req.id, controller);
      try {
        const r = await askQuestion(req.id, req.question, deps(), { signal: controller.signal, onEvent: onAnalysisEvent(req.id, live) });
        return { answer: r.answer, checkpointId: r.checkpointId };
      } finally {
        asking.delete(req.id);
      }
    },
    'sessions:import': (req) => {
      let r: ReturnType<CheckpointStore['importSession']>;
      try {
        r = db().importSession(req.path, { onDuplicate: req.onDuplicate });
      } catch (err) {
        // Already here: a question for the user (skip or keep both), not a failure.
        if (err instanceof StoreError && err.code === 'duplicate') {
          return { outcome: 'duplicate' as const, existing: { id: err.params.sessionId ?? '', name: err.params.name ?? '' } };
        }
        throw err;
      }
      if (!r.skipped) emit('session:changed', r.session);
      return { outcome: r.skipped ? ('skipped' as const) : ('imported' as const), session: r.session };
    },
    'sessions:export': (req) => ({ content: renderExport(toExportModel(readResults(db(), req.id)), req.format), savedTo: null }),
    'sessions:estimate': async (req) => {
      const cfg = await configFor(req);
      const est = await estimateAnalysis(cfg, { prices: new PriceTable(config.settings.prices) });
      return { chunks: est.chunks, inputTokens: est.inputTokens, outputTokens: est.outputTokens, costUsd: est.priceKnown ? est.costUsd : null, seconds: est.seconds };
    },
    'documents:preview': async (req) => {
      const model = config.settings.providers.find((p) => p.name === config.settings.defaultProvider)?.model ?? SIMULATOR_MODEL;
      const chunkTokens = req.chunkTokens ?? 1_500;
      const documents: DocumentPreview[] = [];
      for (const path of req.paths) documents.push(await preview(path, chunkTokens, model));
      return { documents };
    },
    'checkpoints:timeline': (req) => db().timeline(req.sessionId, { limit: req.limit, ...(req.cursor ? { cursor: req.cursor } : {}) }),
    'checkpoints:inspect': (req) => {
      const store = db();
      const checkpoint = store.getCheckpoint(req.checkpointId);
      const session = store.getSession(checkpoint.sessionId);
      const output = checkpoint.outputHash ? store.getBlob(checkpoint.outputHash) : null;
      const path = store.headPath(session.id);
      const at = path.findIndex((c) => c.id === checkpoint.id);
      const head = path.at(-1);
      const headOutput = head?.outputHash ? store.getBlob(head.outputHash) : '';
      return {
        checkpoint,
        output: output === null ? null : output.slice(0, 2_000_000),
        hiddenByRollback: at >= 0 ? path.length - 1 - at : 0,
        diffAgainstHead: head && head.id !== checkpoint.id ? lineDiff(output ?? '', headOutput).slice(0, 10_000).map((d) => ({ op: d.op, text: d.text.slice(0, 200_000) })) : [],
      };
    },
    'checkpoints:rollback': async (req) => {
      if (running.has(req.sessionId)) throw new IpcFailure('busy', 'Pause the session before rolling it back.', 'Press Pause, then roll back.');
      const r = rollbackSession(db(), req.sessionId, req.checkpointId);
      emit('session:changed', r.session);
      return r;
    },
    'checkpoints:undoRollback': (req) => {
      if (running.has(req.sessionId)) throw new IpcFailure('busy', 'Pause the session before undoing the rollback.');
      const s = undoRollbackSession(db(), req.sessionId);
      emit('session:changed', s);
      return s;
    },
    'checkpoints:fork': (req) => {
      const base = db().getSession(req.sessionId);
      const cfg = req.task ? { ...base.config, task: req.task, template: 'custom' as const } : undefined;
      const s = db().fork(req.sessionId, req.checkpointId, { ...(req.name ? { name: req.name } : {}), ...(cfg ? { config: cfg } : {}) });
      emit('session:changed', s);
      return s;
    },
    'checkpoints:verify': (req) => db().verify(req.sessionId),
    'backups:list': () => ({ items: db().listBackups() }),
    'backups:create': async () => {
      const b = await db().createBackup({ reason: 'manual' });
      emit('backup:created', b);
      return b;
    },
    'backups:verify': (req) => db().verifyBackup(req.id),
    'backups:sessions': (req) => ({ items: db().backupSessions(req.id) }),
    'backups:restore': async (req) => {
      if (req.mode === 'replace' && running.size > 0) throw new IpcFailure('busy', 'Sessions are running.', 'Pause every running session before replacing the data with a backup.');
      const r = await db().restoreBackup(req.id, req.mode, req.sessionIds);
      for (const id of r.restoredSessions) sessionChanged(id);
      return { safetyBackupId: r.safetyBackupId, restoredSessions: r.restoredSessions };
    },
    'backups:prune': () => ({ removed: db().pruneBackups(config.settings.backupRetention) }),
    'providers:test': async (req) => {
      const profile = await findProvider(req.name);
      return testConnection(profile, { env: process.env, keyStore });
    },
  };

  return {
    channels: Object.keys(handlers) as EngineChannelName[],
    async handle(channel, request) {
      if (!Object.hasOwn(handlers, channel)) throw new IpcFailure('not_served', `The engine does not serve "${String(channel)}".`, 'This is a bug in Cairn: main sent a channel that main itself answers.');
      await ready;
      const h = handlers[channel] as (req: typeof request) => Promise<ResponseOf<typeof channel>> | ResponseOf<typeof channel>;
      return h(request);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    configure(next) {
      config = { ...next, settings: SettingsSchema.parse(next.settings), keys: { ...next.keys } };
      openStore(config.settings);
      configured();
      if ((config.keychain ?? 'ready') === 'ready') for (const wake of [...keychainWaiters]) wake();
    },
    running: () => [...running.keys()],
    async shutdown() {
      const all = [...running.values()];
      for (const r of all) r.controller.abort(new Error('Cairn is quitting'));
      for (const c of asking.values()) c.abort(new Error('Cairn is quitting'));
      await settleWithin(Promise.all(all.map((r) => r.done)), 20_000);
      coalescer.endAll();
      store?.close();
      store = null;
      if (simulator) await (await simulator).close();
    },
  };
}
