import type { StateCreator } from 'zustand';
import type { Session, SessionStatus } from '../../shared/domain.ts';
import type { ProviderLimits } from '../../shared/provider-limits.ts';
import type { Api } from '../api.ts';
import { i18n } from '../i18n/i18n.ts';
import type { AppState, LoadState } from './app-store.ts';
import { asReason } from './ui-slice.ts';

export type StatusFilter = SessionStatus | 'all';

export interface SessionsSlice {
  sessions: {
    items: Session[];
    load: LoadState;
    query: string;
    filter: StatusFilter;
    /** Set when the engine restarted and reported interrupted sessions; the banner also counts list statuses. */
    bannerDismissed: boolean;
    /** What is in the trash, once asked for (null: not loaded). */
    trash: Session[] | null;
    /** The list includes archived sessions (where they can be unarchived). */
    showArchived: boolean;
    /** An import found its session already here: the user is asked to skip it or keep both. */
    importDuplicate: { path: string; existing: { id: string; name: string } } | null;
    /** What the provider's limits hold each running session to, as the engine last said. */
    limits: Record<string, ProviderLimits>;
  };
  loadSessions(): Promise<void>;
  setProviderLimits(sessionId: string, limits: ProviderLimits): void;
  upsertSession(session: Session): void;
  setSessionQuery(query: string): void;
  setSessionFilter(filter: StatusFilter): void;
  setShowArchived(show: boolean): Promise<void>;
  resumeAll(): Promise<void>;
  dismissInterruptedBanner(): void;
  onEngineRestarted(interrupted: string[]): void;
  renameSession(id: string, name: string): Promise<void>;
  archiveSession(id: string, archived: boolean): Promise<void>;
  /** To the trash; nothing is deleted until the trash is emptied. */
  trashSession(id: string): Promise<void>;
  loadTrash(): Promise<void>;
  restoreFromTrash(id: string): Promise<void>;
  emptyTrash(): Promise<void>;
  /** Import session…: the user picks a session file; a session already here asks Skip / Keep both. */
  importSession(): Promise<void>;
  /** The answer to the duplicate question (null: cancel, nothing imported). */
  answerImportDuplicate(choice: 'skip' | 'keep-both' | null): Promise<void>;
}

export const createSessionsSlice = (api: Api): StateCreator<AppState, [], [], SessionsSlice> => (set, get) => {
  const runImport = async (path: string, onDuplicate: 'refuse' | 'skip' | 'keep-both') => {
    const answer = await api.sessionsImport({ path, onDuplicate });
    if (answer.outcome === 'duplicate') {
      set((s) => ({ sessions: { ...s.sessions, importDuplicate: { path, existing: answer.existing } } }));
      return;
    }
    if (answer.outcome === 'skipped') {
      get().pushToast({ kind: 'info', message: i18n.t('sessions.importSkipped', { name: answer.session.name }) });
      return;
    }
    get().upsertSession(answer.session);
    get().pushToast({ kind: 'success', message: i18n.t('sessions.imported', { name: answer.session.name }) });
  };
  return {
  sessions: { items: [], load: { status: 'idle' }, query: '', filter: 'all', bannerDismissed: false, trash: null, showArchived: false, importDuplicate: null, limits: {} },
  setProviderLimits: (sessionId, limits) => set((s) => ({ sessions: { ...s.sessions, limits: { ...s.sessions.limits, [sessionId]: limits } } })),
  loadSessions: async () => {
    set((s) => ({ sessions: { ...s.sessions, load: { status: 'loading' } } }));
    try {
      const items: Session[] = [];
      let cursor: string | undefined;
      // Bounded: at most 20 pages of 500 sessions.
      for (let page = 0; page < 20; page++) {
        const res = await api.sessionsList({ limit: 500, includeArchived: get().sessions.showArchived, ...(cursor ? { cursor } : {}) });
        items.push(...res.items);
        if (!res.nextCursor) break;
        cursor = res.nextCursor;
      }
      set((s) => ({ sessions: { ...s.sessions, items, load: { status: 'ready' } } }));
    } catch (error) {
      set((s) => ({ sessions: { ...s.sessions, load: { status: 'error', error: asReason(error) } } }));
    }
  },
  upsertSession: (session) =>
    set((s) => {
      const items = s.sessions.items.slice();
      const i = items.findIndex((x) => x.id === session.id);
      if (i >= 0) items[i] = session;
      else items.unshift(session);
      const detail = s.detail.data && s.detail.data.session.id === session.id ? { ...s.detail, data: { ...s.detail.data, session } } : s.detail;
      return { sessions: { ...s.sessions, items }, detail };
    }),
  setSessionQuery: (query) => set((s) => ({ sessions: { ...s.sessions, query } })),
  setSessionFilter: (filter) => set((s) => ({ sessions: { ...s.sessions, filter } })),
  setShowArchived: async (showArchived) => {
    set((s) => ({ sessions: { ...s.sessions, showArchived } }));
    await get().loadSessions();
  },
  resumeAll: async () => {
    try {
      const { resumed } = await api.sessionsResumeAll({});
      get().pushToast({ kind: 'success', message: i18n.t('toast.resumed', { count: resumed.length }) });
      set((s) => ({ sessions: { ...s.sessions, bannerDismissed: true } }));
      await get().loadSessions();
    } catch (error) {
      get().reportError(error, i18n.t('toast.resumeFailed'));
    }
  },
  dismissInterruptedBanner: () => set((s) => ({ sessions: { ...s.sessions, bannerDismissed: true } })),
  onEngineRestarted: (interrupted) => {
    if (interrupted.length > 0) set((s) => ({ sessions: { ...s.sessions, bannerDismissed: false } }));
    get().showEngineNotice({ interrupted: interrupted.length });
    void get().loadSessions();
    // The open session is what the new engine says it is now (interrupted, not running).
    const open = get().detail.sessionId;
    if (open) void get().loadDetail(open, true);
  },
  renameSession: async (id, name) => {
    try {
      get().upsertSession(await api.sessionsRename({ id, name }));
    } catch (error) {
      get().reportError(error, i18n.t('toast.renameFailed'));
    }
  },
  archiveSession: async (id, archived) => {
    try {
      const s = await api.sessionsArchive({ id, archived });
      // The list shows archived sessions only when asked to.
      if (archived && !get().sessions.showArchived) set((st) => ({ sessions: { ...st.sessions, items: st.sessions.items.filter((x) => x.id !== id) } }));
      else get().upsertSession(s);
      get().pushToast({ kind: 'success', message: i18n.t(archived ? 'sessions.archivedToast' : 'sessions.unarchivedToast', { name: s.name }) });
    } catch (error) {
      get().reportError(error, i18n.t('toast.archiveFailed'));
    }
  },
  trashSession: async (id) => {
    try {
      const name = get().sessions.items.find((x) => x.id === id)?.name ?? i18n.t('sessions.theSession');
      await api.sessionsDelete({ id });
      set((st) => ({ sessions: { ...st.sessions, items: st.sessions.items.filter((x) => x.id !== id) } }));
      get().pushToast({ kind: 'success', message: i18n.t('toast.trashed', { name }) });
      if (get().sessions.trash !== null) await get().loadTrash();
    } catch (error) {
      get().reportError(error, i18n.t('toast.trashFailed'));
    }
  },
  loadTrash: async () => {
    try {
      const { items } = await api.sessionsTrash({});
      set((st) => ({ sessions: { ...st.sessions, trash: items } }));
    } catch (error) {
      get().reportError(error, i18n.t('toast.openTrashFailed'));
    }
  },
  restoreFromTrash: async (id) => {
    try {
      const s = await api.sessionsRestore({ id });
      set((st) => ({ sessions: { ...st.sessions, trash: st.sessions.trash?.filter((x) => x.id !== id) ?? null } }));
      get().upsertSession(s);
      get().pushToast({ kind: 'success', message: i18n.t('toast.restored', { name: s.name }) });
    } catch (error) {
      get().reportError(error, i18n.t('toast.restoreFailed'));
    }
  },
  importSession: async () => {
    try {
      const { path } = await api.sessionsPickImport({});
      if (path === null) return;
      await runImport(path, 'refuse');
    } catch (error) {
      get().reportError(error, i18n.t('sessions.importFailed'));
    }
  },
  answerImportDuplicate: async (choice) => {
    const pending = get().sessions.importDuplicate;
    set((s) => ({ sessions: { ...s.sessions, importDuplicate: null } }));
    if (!pending || choice === null) return;
    try {
      await runImport(pending.path, choice);
    } catch (error) {
      get().reportError(error, i18n.t('sessions.importFailed'));
    }
  },
  emptyTrash: async () => {
    try {
      const { purged, kept } = await api.sessionsEmptyTrash({});
      get().pushToast({ kind: 'success', message: `${i18n.t('toast.purged', { count: purged })}${kept > 0 ? i18n.t('toast.kept', { count: kept }) : ''}` });
      await get().loadTrash();
    } catch (error) {
      get().reportError(error, i18n.t('toast.emptyTrashFailed'));
    }
  },
};
};
