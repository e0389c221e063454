import type { StateCreator } from 'zustand';
import type { TimelineRow } from '../../shared/domain.ts';
import type { ResponseOf } from '../../shared/ipc/index.ts';
import type { Api } from '../api.ts';
import { i18n } from '../i18n/i18n.ts';
import type { AppState, LoadState } from './app-store.ts';
import { asReason } from './ui-slice.ts';

export type Inspection = ResponseOf<'checkpoints:inspect'>;

export interface TimelineSlice {
  timeline: {
    sessionId: string | null;
    rows: TimelineRow[];
    total: number;
    nextCursor: string | null;
    load: LoadState;
    loadingMore: boolean;
    /** Checkpoints added since the rows were loaded (shown as a refresh prompt, not a jump). */
    newSinceLoad: number;
    selectedId: string | null;
    inspection: { load: LoadState; data: Inspection | null };
  };
  loadTimeline(sessionId: string): Promise<void>;
  loadMoreTimeline(): Promise<void>;
  selectCheckpoint(checkpointId: string | null): Promise<void>;
  noteCheckpointAdded(sessionId: string): void;
  rollbackTo(checkpointId: string): Promise<boolean>;
  undoRollback(sessionId: string): Promise<void>;
  forkFrom(checkpointId: string, task?: string, name?: string): Promise<boolean>;
}

const PAGE = 500;
const emptyInspection = { load: { status: 'idle' } as LoadState, data: null };

export const createTimelineSlice = (api: Api): StateCreator<AppState, [], [], TimelineSlice> => (set, get) => ({
  timeline: {
    sessionId: null, rows: [], total: 0, nextCursor: null, load: { status: 'idle' }, loadingMore: false,
    newSinceLoad: 0, selectedId: null, inspection: emptyInspection,
  },
  loadTimeline: async (sessionId) => {
    set((s) => ({
      timeline: {
        ...s.timeline, sessionId, load: { status: 'loading' }, newSinceLoad: 0,
        ...(s.timeline.sessionId === sessionId ? {} : { rows: [], total: 0, selectedId: null, inspection: emptyInspection }),
      },
    }));
    try {
      const page = await api.checkpointsTimeline({ sessionId, limit: PAGE });
      if (get().timeline.sessionId !== sessionId) return;
      set((s) => ({ timeline: { ...s.timeline, rows: page.items, total: page.total, nextCursor: page.nextCursor, load: { status: 'ready' } } }));
    } catch (error) {
      set((s) => ({ timeline: { ...s.timeline, load: { status: 'error', error: asReason(error) } } }));
    }
  },
  loadMoreTimeline: async () => {
    const { sessionId, nextCursor, loadingMore } = get().timeline;
    if (!sessionId || !nextCursor || loadingMore) return;
    set((s) => ({ timeline: { ...s.timeline, loadingMore: true } }));
    try {
      const page = await api.checkpointsTimeline({ sessionId, limit: PAGE, cursor: nextCursor });
      if (get().timeline.sessionId !== sessionId) return;
      set((s) => ({ timeline: { ...s.timeline, rows: [...s.timeline.rows, ...page.items], total: page.total, nextCursor: page.nextCursor, loadingMore: false } }));
    } catch (error) {
      set((s) => ({ timeline: { ...s.timeline, loadingMore: false } }));
      get().reportError(error, i18n.t('toast.loadMoreFailed'));
    }
  },
  selectCheckpoint: async (checkpointId) => {
    set((s) => ({ timeline: { ...s.timeline, selectedId: checkpointId, inspection: checkpointId ? { load: { status: 'loading' }, data: null } : emptyInspection } }));
    if (!checkpointId) return;
    try {
      const data = await api.checkpointsInspect({ checkpointId });
      if (get().timeline.selectedId !== checkpointId) return;
      set((s) => ({ timeline: { ...s.timeline, inspection: { load: { status: 'ready' }, data } } }));
    } catch (error) {
      if (get().timeline.selectedId !== checkpointId) return;
      set((s) => ({ timeline: { ...s.timeline, inspection: { load: { status: 'error', error: asReason(error) }, data: null } } }));
    }
  },
  noteCheckpointAdded: (sessionId) =>
    set((s) => (s.timeline.sessionId === sessionId ? { timeline: { ...s.timeline, newSinceLoad: s.timeline.newSinceLoad + 1 } } : {})),
  rollbackTo: async (checkpointId) => {
    const sessionId = get().timeline.sessionId;
    if (!sessionId) return false;
    try {
      const res = await api.checkpointsRollback({ sessionId, checkpointId });
      get().upsertSession(res.session);
      const backup = res.backupId ? i18n.t('toast.backupTaken') : '';
      get().pushToast({
        kind: 'success',
        message: `${i18n.t('toast.rolledBack', { count: res.hidden })}${backup}`,
        action: { label: i18n.t('toast.undo'), run: () => void get().undoRollback(sessionId) },
        timeoutMs: 20_000,
      });
      await Promise.all([get().loadTimeline(sessionId), get().loadDetail(sessionId, true)]);
      await get().selectCheckpoint(checkpointId);
      return true;
    } catch (error) {
      get().reportError(error, i18n.t('toast.rollbackFailed'));
      return false;
    }
  },
  undoRollback: async (sessionId) => {
    try {
      get().upsertSession(await api.checkpointsUndoRollback({ sessionId }));
      get().pushToast({ kind: 'success', message: i18n.t('toast.rollbackUndone') });
      if (get().timeline.sessionId === sessionId) await get().loadTimeline(sessionId);
      if (get().detail.sessionId === sessionId) await get().loadDetail(sessionId, true);
    } catch (error) {
      get().reportError(error, i18n.t('toast.undoFailed'));
    }
  },
  forkFrom: async (checkpointId, task, name) => {
    const sessionId = get().timeline.sessionId;
    if (!sessionId) return false;
    try {
      const session = await api.checkpointsFork({ sessionId, checkpointId, ...(task ? { task } : {}), ...(name ? { name } : {}) });
      get().upsertSession(session);
      get().pushToast({ kind: 'success', message: i18n.t('toast.forked', { name: session.name }) });
      get().navigate({ view: 'session', sessionId: session.id, tab: 'overview' });
      return true;
    } catch (error) {
      get().reportError(error, i18n.t('toast.forkFailed'));
      return false;
    }
  },
});
