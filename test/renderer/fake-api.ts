// An in-memory CairnBridge: the same shape the preload exposes as window.cairn,
// with state tests can arrange and events tests can emit. Each method records
// its call; `failNext` makes the next call of a method return an IpcError.
import type { BackupInfo, ProviderProfile, Session, TimelineRow } from '../../shared/domain.ts';
import type { CairnBridge, EventName, EventPayload, IpcError, IpcResult } from '../../shared/ipc/index.ts';
import type { BackupSession } from '../../shared/ipc/backups.ts';
import type { DocumentPreview, Estimate, SessionDetail } from '../../shared/ipc/sessions.ts';
import type { ProviderTestResult } from '../../shared/ipc/providers.ts';
import type { Settings } from '../../shared/settings.ts';
import { canStop, isActive, PAUSED_ON_REQUEST, STOPPED_REASON } from '../../shared/session-state.ts';
import { createApi, type Api } from '../../renderer/api.ts';
import { makeDetail, makeId, makeSession, makeSettings } from './fixtures.ts';

/** A refusal with the code and hint the real service gives. */
class FakeRefusal extends Error {
  readonly ipc: IpcError;
  constructor(ipc: IpcError) {
    super(ipc.message);
    this.ipc = ipc;
  }
}

type MethodName = { [K in keyof CairnBridge]: K extends `on${string}` ? never : K }[keyof CairnBridge];

export class FakeCairn {
  sessions = new Map<string, Session>();
  /** Deleted sessions, until the trash is emptied. */
  trash = new Map<string, Session>();
  details = new Map<string, SessionDetail>();
  timelines = new Map<string, TimelineRow[]>();
  backups: BackupInfo[] = [];
  /** What each backup holds, by backup id (backupsSessions). */
  backupContents = new Map<string, BackupSession[]>();
  settings: Settings = makeSettings();
  storedKeys = new Set<string>();
  encryptionAvailable = true;
  pickPaths: string[] = [];
  /** The file the next "Import session…" picks (null: the user cancels). */
  sessionFile: string | null = null;
  /** What each session file holds; a file imported once is a duplicate the next time. */
  sessionFiles = new Map<string, Parameters<typeof makeSession>[0]>();
  private importedFrom = new Map<string, string>();
  previews = new Map<string, DocumentPreview>();
  estimate: Estimate = { chunks: 12, inputTokens: 18_000, outputTokens: 4_000, costUsd: 0.12, seconds: 95 };
  providerTest: ProviderTestResult = { ok: true, models: ['sim-1'], message: 'Connected.' };
  settingsWarning: string | null = null;
  calls: { method: string; request: unknown }[] = [];
  private failures = new Map<string, IpcError[]>();
  private listeners = new Map<string, Set<(payload: unknown) => void>>();

  /** Add a session (and a default detail for it). */
  addSession(over: Parameters<typeof makeSession>[0] = {}, detail: Partial<SessionDetail> = {}): Session {
    const s = makeSession(over);
    this.sessions.set(s.id, s);
    this.details.set(s.id, makeDetail(s, detail));
    return s;
  }

  failNext(method: MethodName, error: IpcError): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(error);
    this.failures.set(method, queue);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request);
  }

  /** Update a session as the engine would, and announce it. */
  change(id: string, patch: Partial<Session>): Session {
    const s = { ...this.mustSession(id), ...patch, updatedAt: new Date().toISOString() };
    this.sessions.set(id, s);
    const d = this.details.get(id);
    if (d) this.details.set(id, { ...d, session: s });
    this.emit('session:changed', s);
    return s;
  }

  api(): Api {
    return createApi(this.bridge(), async () => []);
  }

  private mustSession(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`no session ${id}`);
    return s;
  }

  private run<T>(method: MethodName, request: unknown, work: () => T): Promise<IpcResult<T>> {
    this.calls.push({ method, request });
    const queue = this.failures.get(method);
    const failure = queue?.shift();
    if (failure) return Promise.resolve({ ok: false, error: failure });
    try {
      return Promise.resolve({ ok: true, value: work() });
    } catch (error) {
      if (error instanceof FakeRefusal) return Promise.resolve({ ok: false, error: error.ipc });
      return Promise.resolve({ ok: false, error: { code: 'not-found', message: (error as Error).message } });
    }
  }

  private setStatus(id: string, status: Session['status']): Session {
    return this.change(id, { status, reason: null, retryAt: null });
  }

  private subscribe(event: EventName) {
    return (listener: (payload: never) => void) => {
      const set = this.listeners.get(event) ?? new Set();
      const l = listener as (payload: unknown) => void;
      set.add(l);
      this.listeners.set(event, set);
      return () => void set.delete(l);
    };
  }

  bridge(): CairnBridge {
    const r = this.run.bind(this);
    const bridge: CairnBridge = {
      sessionsList: (q) => r('sessionsList', q, () => ({
        items: [...this.sessions.values()].filter((s) => (q.includeArchived === true || !s.archived) && (!q.status || s.status === q.status) && (!q.query || s.name.includes(q.query))),
        nextCursor: null,
      })),
      sessionsGet: (q) => r('sessionsGet', q, () => this.mustSession(q.id)),
      sessionsDetail: (q) => r('sessionsDetail', q, () => {
        const d = this.details.get(q.id);
        if (!d) throw new Error(`Session ${q.id} was not found.`);
        return d;
      }),
      sessionsCreate: (q) => r('sessionsCreate', q, () => {
        const provider = this.settings.providers.find((p) => p.name === q.providerName);
        if (!provider) throw new Error(`No provider ${q.providerName}`);
        return this.addSession({ name: q.name ?? 'New analysis', task: q.task, provider, status: 'running', progress: { done: 0, total: 5, failed: 0, etaSeconds: null } });
      }),
      sessionsStart: (q) => r('sessionsStart', q, () => this.setStatus(q.id, 'running')),
      // The codes and reasons the engine gives (shared/session-state.ts), not the fake's own.
      sessionsPause: (q) => r('sessionsPause', q, () => this.change(q.id, { status: 'paused', reason: { code: PAUSED_ON_REQUEST, message: 'Stopped on request. Everything received so far is saved.' } })),
      sessionsResume: (q) => r('sessionsResume', q, () => this.setStatus(q.id, 'running')),
      sessionsResumeAll: (q) => r('sessionsResumeAll', q, () => ({
        resumed: [...this.sessions.values()].filter((s) => s.status === 'interrupted').map((s) => this.setStatus(s.id, 'running').id),
      })),
      sessionsStop: (q) => r('sessionsStop', q, () => {
        const s = this.mustSession(q.id);
        if (!canStop(s)) throw new FakeRefusal({ code: 'conflict', message: `"${s.name}" is ${s.status}, so there is nothing to stop.` });
        return this.change(q.id, { status: 'stopped', reason: STOPPED_REASON, retryAt: null });
      }),
      sessionsRename: (q) => r('sessionsRename', q, () => this.change(q.id, { name: q.name })),
      sessionsUpdate: (q) => r('sessionsUpdate', q, () => {
        const s = this.mustSession(q.id);
        // The same refusals as the service (electron/service/app-service.ts).
        if (isActive(s)) throw new FakeRefusal({ code: 'busy', message: `"${s.name}" is running, so its budget and model cannot change now.`, hint: 'Pause it first, then change them and resume.' });
        if (q.budgetUsd != null && q.budgetUsd <= s.usage.costUsd) throw new FakeRefusal({ code: 'invalid_input', message: `A budget of $${q.budgetUsd.toFixed(2)} is not more than the $${s.usage.costUsd.toFixed(4)} already spent.` });
        const provider = q.model !== undefined ? { ...s.config.provider, model: q.model.trim() } : s.config.provider;
        const budgetUsd = q.budgetUsd !== undefined ? q.budgetUsd : s.config.budgetUsd;
        return this.change(q.id, { config: { ...s.config, provider, budgetUsd } });
      }),
      sessionsArchive: (q) => r('sessionsArchive', q, () => this.change(q.id, { archived: q.archived })),
      sessionsDelete: (q) => r('sessionsDelete', q, () => {
        this.trash.set(q.id, { ...this.mustSession(q.id), trashed: true });
        this.sessions.delete(q.id);
        return { ok: true as const };
      }),
      sessionsTrash: (q) => r('sessionsTrash', q, () => ({ items: [...this.trash.values()] })),
      sessionsRestore: (q) => r('sessionsRestore', q, () => {
        const s = this.trash.get(q.id);
        if (!s) throw new FakeRefusal({ code: 'invalid_input', message: 'That session is not in the trash.' });
        this.trash.delete(q.id);
        this.sessions.set(q.id, { ...s, trashed: false });
        return this.mustSession(q.id);
      }),
      sessionsEmptyTrash: (q) => r('sessionsEmptyTrash', q, () => {
        const purged = this.trash.size;
        this.trash.clear();
        return { purged, kept: 0 };
      }),
      sessionsRetryChunk: (q) => r('sessionsRetryChunk', q, () => this.setStatus(q.id, 'running')),
      sessionsAsk: (q) => r('sessionsAsk', q, () => {
        const d = this.details.get(q.id);
        if (!d) throw new Error('no session');
        const checkpointId = makeId();
        const answer = `Answer to: ${q.question}`;
        this.details.set(q.id, { ...d, conversation: [...d.conversation, { role: 'user', text: q.question, checkpointId: null }, { role: 'assistant', text: answer, checkpointId }] });
        return { answer, checkpointId };
      }),
      sessionsExport: (q) => r('sessionsExport', q, () => ({ content: this.details.get(q.id)?.report ?? '', savedTo: q.save ? `/home/analyst/report.${q.format}` : null })),
      sessionsEstimate: (q) => r('sessionsEstimate', q, () => this.estimate),
      sessionsPickImport: (q) => r('sessionsPickImport', q, () => ({ path: this.sessionFile })),
      sessionsImport: (q) => r('sessionsImport', q, () => {
        const held = this.sessionFiles.get(q.path);
        if (!held) throw new FakeRefusal({ code: 'invalid_input', message: `${q.path} is not a Cairn session file (it is not JSON).` });
        const earlier = this.sessions.get(this.importedFrom.get(q.path) ?? '');
        if (earlier && (q.onDuplicate ?? 'refuse') === 'refuse') return { outcome: 'duplicate' as const, existing: { id: earlier.id, name: earlier.name } };
        if (earlier && q.onDuplicate === 'skip') return { outcome: 'skipped' as const, session: earlier };
        const s = this.addSession({ ...held, name: `${held.name ?? 'Contract review'} (imported)` });
        if (!earlier) this.importedFrom.set(q.path, s.id);
        return { outcome: 'imported' as const, session: s };
      }),
      documentsPick: (q) => r('documentsPick', q, () => ({ paths: this.pickPaths })),
      documentsPreview: (q) => r('documentsPreview', q, () => ({
        documents: q.paths.map((p) => this.previews.get(p) ?? {
          path: p, name: p.split('/').pop() ?? p, ok: true, error: null, pages: 4, sample: 'The parties agree…', tokens: 3_200, chunks: 3, warnings: [],
        }),
      })),
      checkpointsTimeline: (q) => r('checkpointsTimeline', q, () => {
        const rows = this.timelines.get(q.sessionId) ?? [];
        const start = q.cursor ? Number(q.cursor) : 0;
        const end = start + (q.limit ?? 500);
        return { items: rows.slice(start, end), nextCursor: end < rows.length ? String(end) : null, total: rows.length };
      }),
      checkpointsInspect: (q) => r('checkpointsInspect', q, () => {
        for (const rows of this.timelines.values()) {
          const i = rows.findIndex((row) => row.checkpoint.id === q.checkpointId);
          const row = rows[i];
          if (!row) continue;
          const headIndex = rows.findIndex((x) => x.isHead);
          return {
            checkpoint: row.checkpoint,
            output: `Output at step ${i}`,
            hiddenByRollback: row.onHeadPath ? Math.max(0, headIndex - i) : headIndex,
            diffAgainstHead: row.isHead ? [{ op: 'same' as const, text: 'same' }] : [{ op: 'same' as const, text: 'Summary' }, { op: 'add' as const, text: 'Added at head' }],
          };
        }
        throw new Error(`Checkpoint ${q.checkpointId} was not found.`);
      }),
      checkpointsRollback: (q) => r('checkpointsRollback', q, () => {
        const rows = this.timelines.get(q.sessionId) ?? [];
        const i = rows.findIndex((row) => row.checkpoint.id === q.checkpointId);
        const headIndex = rows.findIndex((x) => x.isHead);
        this.timelines.set(q.sessionId, rows.map((row, j) => ({ ...row, isHead: j === i, onHeadPath: j <= i })));
        return { session: this.change(q.sessionId, { headId: q.checkpointId }), hidden: Math.max(0, headIndex - i), backupId: 'pre-rollback.sqlite' };
      }),
      checkpointsUndoRollback: (q) => r('checkpointsUndoRollback', q, () => {
        const rows = this.timelines.get(q.sessionId) ?? [];
        this.timelines.set(q.sessionId, rows.map((row, j) => ({ ...row, isHead: j === rows.length - 1, onHeadPath: true })));
        return this.change(q.sessionId, { headId: rows[rows.length - 1]?.checkpoint.id ?? null });
      }),
      checkpointsFork: (q) => r('checkpointsFork', q, () => {
        const from = this.mustSession(q.sessionId);
        return this.addSession({ name: q.name ?? `${from.name} (fork)`, task: q.task ?? from.config.task, provider: from.config.provider, status: 'created', forkOf: { sessionId: q.sessionId, checkpointId: q.checkpointId } });
      }),
      checkpointsVerify: (q) => r('checkpointsVerify', q, () => ({ ok: true, checkedCheckpoints: 1, checkedBlobs: 1, damaged: [], integrityCheck: 'ok' })),
      backupsList: (q) => r('backupsList', q, () => ({ items: this.backups })),
      backupsCreate: (q) => r('backupsCreate', q, () => {
        const b: BackupInfo = { id: `manual-${this.backups.length + 1}.sqlite`, createdAt: new Date().toISOString(), sizeBytes: 1_000_000, verified: 'ok', reason: 'manual', appVersion: '0.1.0', schemaVersion: 1 };
        this.backups = [b, ...this.backups];
        return b;
      }),
      backupsVerify: (q) => r('backupsVerify', q, () => {
        const b = this.backups.find((x) => x.id === q.id);
        if (!b) throw new Error('no backup');
        return b;
      }),
      backupsSessions: (q) => r('backupsSessions', q, () => ({ items: this.backupContents.get(q.id) ?? [] })),
      backupsRestore: (q) => r('backupsRestore', q, () => {
        if (q.mode === 'replace') return { safetyBackupId: 'pre-restore.sqlite', restoredSessions: [...this.sessions.keys()] };
        const held = this.backupContents.get(q.id) ?? [];
        const restored = held.filter((b) => !q.sessionIds || q.sessionIds.includes(b.id)).map((b) => this.addSession({ name: `${b.name} (restored)`, status: b.status, progress: b.progress }).id);
        return { safetyBackupId: null, restoredSessions: restored };
      }),
      backupsPrune: (q) => r('backupsPrune', q, () => ({ removed: [] })),
      settingsGet: (q) => r('settingsGet', q, () => this.settings),
      settingsSet: (q) => r('settingsSet', q, () => {
        this.settings = { ...this.settings, ...q } as Settings;
        return this.settings;
      }),
      keysStatus: (q) => r('keysStatus', q, () => this.keyStatus()),
      keysSet: (q) => r('keysSet', q, () => {
        this.storedKeys.add(q.profile);
        return this.keyStatus();
      }),
      keysDelete: (q) => r('keysDelete', q, () => {
        this.storedKeys.delete(q.profile);
        return this.keyStatus();
      }),
      appInfo: (q) => r('appInfo', q, () => ({ version: '0.1.0', dataDir: '/home/analyst/.local/share/cairn', platform: 'linux', settingsWarning: this.settingsWarning })),
      appOpenExternal: (q) => r('appOpenExternal', q, () => ({ opened: true })),
      appDiagnostics: (q) => r('appDiagnostics', q, () => ({ text: 'Cairn 0.1.0 on linux' })),
      appCopyText: (q) => r('appCopyText', q, () => ({ copied: true as const })),
      providersList: (q) => r('providersList', q, () => ({ items: this.settings.providers })),
      providersSave: (q) => r('providersSave', q, () => {
        const p = q.profile as ProviderProfile;
        this.settings = { ...this.settings, providers: [...this.settings.providers.filter((x) => x.name !== p.name), p] };
        return { items: this.settings.providers };
      }),
      providersDelete: (q) => r('providersDelete', q, () => {
        this.settings = { ...this.settings, providers: this.settings.providers.filter((x) => x.name !== q.name) };
        return { items: this.settings.providers };
      }),
      providersTest: (q) => r('providersTest', q, () => this.providerTest),
      onSessionChanged: this.subscribe('session:changed'),
      onSessionProgress: this.subscribe('session:progress'),
      onSessionWarning: this.subscribe('session:warning'),
      onSessionLimits: this.subscribe('session:limits'),
      onStreamText: this.subscribe('stream:text'),
      onEngineRestarted: this.subscribe('engine:restarted'),
      onCheckpointAdded: this.subscribe('checkpoint:added'),
      onBackupCreated: this.subscribe('backup:created'),
      onSettingsChanged: this.subscribe('settings:changed'),
    };
    return bridge;
  }

  private keyStatus() {
    return { stored: [...this.storedKeys], encryptionAvailable: this.encryptionAvailable, backend: this.encryptionAvailable ? 'gnome_libsecret' : 'basic_text' };
  }
}
