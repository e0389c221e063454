import type { StateCreator } from 'zustand';
import { ReasonParamsSchema } from '../../shared/domain.ts';
import { reasonText } from '../i18n/reasons.ts';
import type { AppState, ErrorInfo } from './app-store.ts';

export type SettingsSection = 'providers' | 'keys' | 'prices' | 'engine' | 'general';
export type SessionTab = 'overview' | 'timeline';

export type Route =
  | { view: 'sessions' }
  | { view: 'new' }
  | { view: 'session'; sessionId: string; tab: SessionTab }
  | { view: 'backups' }
  | { view: 'settings'; section?: SettingsSection };

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  message: string;
  hint?: string | undefined;
  /** The producer's English hint, which names the place in the app that fixes it (see HintAction). */
  fixHint?: string | undefined;
  action?: { label: string; run: () => void } | undefined;
  /** ms until it goes away by itself; null keeps it until dismissed. */
  timeoutMs: number | null;
}

/** The engine process stopped and main restarted it: what the window says until dismissed. */
export interface EngineNotice {
  interrupted: number;
}

export interface UiSlice {
  route: Route;
  toasts: Toast[];
  engineNotice: EngineNotice | null;
  showEngineNotice(notice: EngineNotice): void;
  dismissEngineNotice(): void;
  navigate(route: Route): void;
  pushToast(toast: Omit<Toast, 'id' | 'timeoutMs'> & { timeoutMs?: number | null }): number;
  dismissToast(id: number): void;
  /** Show an error as a toast that names its fix. */
  reportError(error: unknown, context?: string): void;
}

let nextToastId = 1;

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  route: { view: 'sessions' },
  toasts: [],
  engineNotice: null,
  showEngineNotice: (notice) => set({ engineNotice: notice }),
  dismissEngineNotice: () => set({ engineNotice: null }),
  navigate: (route) => set({ route }),
  pushToast: (toast) => {
    const id = nextToastId++;
    const timeoutMs = toast.timeoutMs === undefined ? (toast.kind === 'error' ? null : 6_000) : toast.timeoutMs;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { ...toast, id, timeoutMs }] }));
    return id;
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  reportError: (error, context) => {
    const e = asReason(error);
    const text = reasonText(e);
    get().pushToast({ kind: 'error', message: context ? `${context}: ${text.message}` : text.message, hint: text.hint, fixHint: e.hint });
  },
});

/** A caught value as a `{code, message, hint}` a panel can show. */
export function asReason(error: unknown): ErrorInfo {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { code?: unknown; message: unknown; hint?: unknown; params?: unknown };
    const params = ReasonParamsSchema.safeParse(e.params);
    return {
      code: typeof e.code === 'string' ? e.code : 'error',
      message: String(e.message),
      hint: typeof e.hint === 'string' ? e.hint : undefined,
      ...(params.success ? { params: params.data } : {}),
    };
  }
  return { code: 'error', message: String(error) };
}
