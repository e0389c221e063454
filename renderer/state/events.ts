// Wires the main process's events into the stores. Returns one unsubscribe.
import type { StoreApi } from 'zustand/vanilla';
import type { Api } from '../api.ts';
import { connectStream, type StreamState } from '../stream/stream-store.ts';
import type { AppState } from './app-store.ts';

/** Detail reloads after checkpoints are coalesced: a busy run adds many per second. */
const DETAIL_RELOAD_MS = 400;

export function connectEvents(api: Api, store: StoreApi<AppState>, streams: StoreApi<StreamState>): () => void {
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;
  const reloadDetailSoon = (sessionId: string) => {
    if (store.getState().detail.sessionId !== sessionId || reloadTimer) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      if (store.getState().detail.sessionId === sessionId) void store.getState().loadDetail(sessionId, true);
    }, DETAIL_RELOAD_MS);
  };

  const offs = [
    api.onSessionChanged((session) => {
      const before = store.getState().sessions.items.find((s) => s.id === session.id);
      store.getState().upsertSession(session);
      if (before && before.status !== session.status) reloadDetailSoon(session.id);
    }),
    api.onSessionProgress(({ sessionId, progress, usage }) => {
      const s = store.getState();
      const current = s.sessions.items.find((x) => x.id === sessionId) ?? (s.detail.data?.session.id === sessionId ? s.detail.data.session : undefined);
      if (current) s.upsertSession({ ...current, progress, usage });
    }),
    api.onSessionWarning(({ sessionId, message, hint }) => {
      const s = store.getState();
      const name = s.sessions.items.find((x) => x.id === sessionId)?.name ?? (s.detail.data?.session.id === sessionId ? s.detail.data.session.name : undefined);
      s.pushToast({ kind: 'info', message: name ? `${name}: ${message}` : message, hint, timeoutMs: null });
    }),
    api.onSessionLimits(({ sessionId, limits }) => store.getState().setProviderLimits(sessionId, limits)),
    api.onEngineRestarted(({ interrupted }) => {
      // The engine that was streaming is gone: no stream of any session is live any more.
      for (const sessionId of Object.keys(streams.getState().bySession)) streams.getState().clear(sessionId);
      store.getState().onEngineRestarted(interrupted);
    }),
    api.onCheckpointAdded(({ sessionId }) => {
      store.getState().noteCheckpointAdded(sessionId);
      reloadDetailSoon(sessionId);
    }),
    api.onBackupCreated((backup) => store.getState().upsertBackup(backup)),
    api.onSettingsChanged((settings) => store.getState().setSettingsValue(settings)),
    connectStream(streams, api.onStreamText),
  ];
  return () => {
    if (reloadTimer) clearTimeout(reloadTimer);
    for (const off of offs) off();
  };
}
