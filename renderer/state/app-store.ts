// One store of slices (zustand slices pattern), created per app instance so a
// test gets a fresh store over its in-memory API.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api } from '../api.ts';
import { createBackupsSlice, type BackupsSlice } from './backups-slice.ts';
import { createDetailSlice, type DetailSlice } from './detail-slice.ts';
import { createSessionsSlice, type SessionsSlice } from './sessions-slice.ts';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.ts';
import { createTimelineSlice, type TimelineSlice } from './timeline-slice.ts';
import { createUiSlice, type UiSlice } from './ui-slice.ts';

export interface ErrorInfo {
  code: string;
  message: string;
  hint?: string | undefined;
  /** What the message is about, as data (a session's name, a file), for the translated text. */
  params?: Readonly<Record<string, string | number>> | undefined;
}

export type LoadState = { status: 'idle' | 'loading' | 'ready' } | { status: 'error'; error: ErrorInfo };

export type AppState = UiSlice & SessionsSlice & DetailSlice & TimelineSlice & BackupsSlice & SettingsSlice;

export function createAppStore(api: Api): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...createUiSlice(...a),
    ...createSessionsSlice(api)(...a),
    ...createDetailSlice(api)(...a),
    ...createTimelineSlice(api)(...a),
    ...createBackupsSlice(api)(...a),
    ...createSettingsSlice(api)(...a),
  }));
}
