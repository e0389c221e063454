// Small selector hooks: a component subscribes to exactly the slice it paints.
import { useShallow } from 'zustand/react/shallow';
import { useAppStore, useStreamStore } from '../app/context.tsx';
import type { LiveStream } from '../stream/stream-store.ts';

export const useRoute = () => useAppStore((s) => s.route);
export const useNavigate = () => useAppStore((s) => s.navigate);
export const useToasts = () => useAppStore((s) => s.toasts);
export const useEngineNotice = () => useAppStore((s) => s.engineNotice);
export const useDismissEngineNotice = () => useAppStore((s) => s.dismissEngineNotice);

export const useSessionsList = () =>
  useAppStore(useShallow((s) => ({ items: s.sessions.items, load: s.sessions.load, query: s.sessions.query, filter: s.sessions.filter, bannerDismissed: s.sessions.bannerDismissed, showArchived: s.sessions.showArchived })));

export const useSessionsActions = () =>
  useAppStore(useShallow((s) => ({
    loadSessions: s.loadSessions, setSessionQuery: s.setSessionQuery, setSessionFilter: s.setSessionFilter,
    resumeAll: s.resumeAll, dismissInterruptedBanner: s.dismissInterruptedBanner, controlSession: s.controlSession,
  })));

/** What the provider's limits hold this session to, when the engine has said (null: nothing stated). */
export const useProviderLimits = (sessionId: string) => useAppStore((s) => s.sessions.limits[sessionId] ?? null);

export const useTrash = () => useAppStore((s) => s.sessions.trash);

export const useSessionFiling = () =>
  useAppStore(useShallow((s) => ({
    renameSession: s.renameSession, archiveSession: s.archiveSession, trashSession: s.trashSession, setShowArchived: s.setShowArchived,
    loadTrash: s.loadTrash, restoreFromTrash: s.restoreFromTrash, emptyTrash: s.emptyTrash,
  })));

export const useSessionImport = () =>
  useAppStore(useShallow((s) => ({ duplicate: s.sessions.importDuplicate, importSession: s.importSession, answerImportDuplicate: s.answerImportDuplicate })));

export const useDetail = () => useAppStore(useShallow((s) => ({ sessionId: s.detail.sessionId, data: s.detail.data, load: s.detail.load })));

export const useDetailActions = () =>
  useAppStore(useShallow((s) => ({ loadDetail: s.loadDetail, controlSession: s.controlSession, updateSession: s.updateSession, retryChunk: s.retryChunk, ask: s.ask })));

export const useTimeline = () =>
  useAppStore(useShallow((s) => ({
    sessionId: s.timeline.sessionId, rows: s.timeline.rows, total: s.timeline.total, nextCursor: s.timeline.nextCursor,
    load: s.timeline.load, loadingMore: s.timeline.loadingMore, newSinceLoad: s.timeline.newSinceLoad, selectedId: s.timeline.selectedId,
  })));

export const useInspection = () => useAppStore((s) => s.timeline.inspection);

export const useTimelineActions = () =>
  useAppStore(useShallow((s) => ({
    loadTimeline: s.loadTimeline, loadMoreTimeline: s.loadMoreTimeline, selectCheckpoint: s.selectCheckpoint,
    rollbackTo: s.rollbackTo, forkFrom: s.forkFrom,
  })));

export const useBackups = () => useAppStore((s) => s.backups);
export const useBackupsActions = () =>
  useAppStore(useShallow((s) => ({
    loadBackups: s.loadBackups, loadBackupContents: s.loadBackupContents, createBackup: s.createBackup, verifyBackup: s.verifyBackup, restoreBackup: s.restoreBackup, pruneBackups: s.pruneBackups,
  })));

export const useSettingsState = () => useAppStore((s) => s.settings);
export const useSettingsActions = () =>
  useAppStore(useShallow((s) => ({
    loadSettings: s.loadSettings, saveSettings: s.saveSettings, saveProvider: s.saveProvider, deleteProvider: s.deleteProvider,
    setKey: s.setKey, deleteKey: s.deleteKey,
  })));

export const useUiActions = () => useAppStore(useShallow((s) => ({ pushToast: s.pushToast, dismissToast: s.dismissToast, reportError: s.reportError, navigate: s.navigate })));

const NO_STREAMS: Record<string, LiveStream> = {};
/** The live streams of one session; only the streaming panel subscribes to this. */
export const useSessionStreams = (sessionId: string) => useStreamStore((s) => s.bySession[sessionId] ?? NO_STREAMS);
