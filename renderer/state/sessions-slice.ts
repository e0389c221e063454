import type { StateCreator } from 'zustand';
import type { Session, SessionStatus } from '../../shared/domain.ts';
import type { Api } from '../api.ts';
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
  };
  loadSessions(): Promise<void>;
  upsertSession(session: Session): void;
  setSessionQuery(query: string): void;
  setSessionFilter(filter: StatusFilter): void;
  resumeAll(): Promise<void>;
  dismissInterruptedBanner(): void;
  onEngineRestarted(interrupted: string[]): void;
}

export const createSessionsSlice = (api: Api): StateCreator<AppState, [], [], SessionsSlice> => (set, get) => ({
  sessions: { items: [], load: { status: 'idle' }, query: '', filter: 'all', bannerDismissed: false },
  loadSessions: async () => {
    set((s) => ({ sessions: { ...s.sessions, load: { status: 'loading' } } }));
    try {
      const items: Session[] = [];
      let cursor: string | undefined;
      // Bounded: at most 20 pages of 500 sessions.
      for (let page = 0; page < 20; page++) {
        const res = await api.sessionsList({ limit: 500, ...(cursor ? { cursor } : {}) });
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
  resumeAll: async () => {
    try {
      const { resumed } = await api.sessionsResumeAll({});
      get().pushToast({ kind: 'success', message: `Resumed ${resumed.length} ${resumed.length === 1 ? 'session' : 'sessions'}.` });
      set((s) => ({ sessions: { ...s.sessions, bannerDismissed: true } }));
      await get().loadSessions();
    } catch (error) {
      get().reportError(error, 'Could not resume the sessions');
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
});
