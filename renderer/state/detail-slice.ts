import type { StateCreator } from 'zustand';
import type { SessionDetail, SessionUpdate } from '../../shared/ipc/sessions.ts';
import type { Api } from '../api.ts';
import { i18n } from '../i18n/i18n.ts';
import type { AppState, LoadState } from './app-store.ts';
import { asReason } from './ui-slice.ts';

export type SessionControl = 'start' | 'pause' | 'resume' | 'stop';

/** What a paused session may change before it resumes. */
export type SessionChange = Omit<SessionUpdate, 'id'>;

export interface DetailSlice {
  detail: { sessionId: string | null; data: SessionDetail | null; load: LoadState };
  loadDetail(sessionId: string, quiet?: boolean): Promise<void>;
  controlSession(sessionId: string, action: SessionControl): Promise<boolean>;
  /** Changes a paused session's budget and/or model; false (with the reason shown) when refused. */
  updateSession(sessionId: string, change: SessionChange): Promise<boolean>;
  retryChunk(sessionId: string, index: number): Promise<void>;
  ask(sessionId: string, question: string): Promise<boolean>;
}

export const createDetailSlice = (api: Api): StateCreator<AppState, [], [], DetailSlice> => (set, get) => ({
  detail: { sessionId: null, data: null, load: { status: 'idle' } },
  loadDetail: async (sessionId, quiet = false) => {
    set((s) => ({
      detail: {
        sessionId,
        data: s.detail.sessionId === sessionId ? s.detail.data : null,
        load: quiet && s.detail.sessionId === sessionId ? s.detail.load : { status: 'loading' },
      },
    }));
    try {
      const data = await api.sessionsDetail({ id: sessionId });
      if (get().detail.sessionId !== sessionId) return;
      set({ detail: { sessionId, data, load: { status: 'ready' } } });
      get().upsertSession(data.session);
    } catch (error) {
      if (get().detail.sessionId !== sessionId) return;
      set((s) => ({ detail: { ...s.detail, load: { status: 'error', error: asReason(error) } } }));
    }
  },
  controlSession: async (sessionId, action) => {
    try {
      const call = { start: api.sessionsStart, pause: api.sessionsPause, resume: api.sessionsResume, stop: api.sessionsStop }[action];
      const session = await call({ id: sessionId });
      get().upsertSession(session);
      return true;
    } catch (error) {
      get().reportError(error, i18n.t(`toast.controlFailed.${action}`));
      return false;
    }
  },
  updateSession: async (sessionId, change) => {
    try {
      get().upsertSession(await api.sessionsUpdate({ id: sessionId, ...change }));
      return true;
    } catch (error) {
      get().reportError(error, i18n.t('toast.notChanged'));
      return false;
    }
  },
  retryChunk: async (sessionId, index) => {
    try {
      get().upsertSession(await api.sessionsRetryChunk({ id: sessionId, index }));
      await get().loadDetail(sessionId, true);
    } catch (error) {
      get().reportError(error, i18n.t('toast.retryChunkFailed', { n: index + 1 }));
    }
  },
  ask: async (sessionId, question) => {
    try {
      await api.sessionsAsk({ id: sessionId, question });
      await get().loadDetail(sessionId, true);
      return true;
    } catch (error) {
      get().reportError(error, i18n.t('toast.notAnswered'));
      return false;
    }
  },
});
