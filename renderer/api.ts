// The renderer's only door to the main process. Components never see IPC:
// they get an `Api` (from a React context) whose methods resolve to the value
// or throw an `ApiError` a person can act on. Tests pass an in-memory bridge.
import {
  EVENT_NAMES, methodName, PAGE_CHANNEL_NAMES, subscriptionName,
  type CairnBridge, type IpcError, type IpcResult,
} from '../shared/ipc/index.ts';

export class ApiError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(error: IpcError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.hint = error.hint;
  }
}

/** Every channel method unwrapped to `Promise<Value>`; subscriptions pass through unchanged. */
export type Api = {
  [K in keyof CairnBridge]: CairnBridge[K] extends (request: infer Req) => Promise<IpcResult<infer Res>>
    ? (request: Req) => Promise<Res>
    : CairnBridge[K];
} & {
  /** Paths of files dropped on the window, which main then lets the app read (Electron); [] where the shell cannot tell. */
  grantDropped: (files: File[]) => Promise<string[]>;
};

type AnyMethod = (request: unknown) => Promise<IpcResult<unknown>>;
type AnySubscription = (listener: (payload: unknown) => void) => () => void;

/** Turn anything thrown or rejected into an ApiError with a readable message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: 'ipc-failed', message: `The app could not reach its engine: ${message}`, hint: 'Restart Cairn if this keeps happening.' });
}

export function createApi(bridge: CairnBridge, grantDropped: (files: File[]) => Promise<string[]> = async () => []): Api {
  const source = bridge as unknown as Record<string, unknown>;
  const api: Record<string, unknown> = { grantDropped };
  for (const name of PAGE_CHANNEL_NAMES) {
    const method = methodName(name);
    const call = source[method] as AnyMethod | undefined;
    api[method] = async (request: unknown) => {
      if (typeof call !== 'function') {
        throw new ApiError({ code: 'not-available', message: `This version of the app cannot do "${name}".`, hint: 'Update Cairn.' });
      }
      let result: IpcResult<unknown>;
      try {
        result = await call(request);
      } catch (error) {
        throw toApiError(error);
      }
      if (!result.ok) throw new ApiError(result.error);
      return result.value;
    };
  }
  for (const name of EVENT_NAMES) {
    const sub = subscriptionName(name);
    const subscribe = source[sub] as AnySubscription | undefined;
    api[sub] = (listener: (payload: unknown) => void) => (typeof subscribe === 'function' ? subscribe(listener) : () => {});
  }
  return api as unknown as Api;
}

interface FilesBridge {
  grantDropped?: (files: File[]) => Promise<string[]>;
}

/** The API over `window.cairn` (exposed by the preload), or null when the page runs without one. */
export function windowApi(): Api | null {
  const w = window as unknown as { cairn?: CairnBridge; cairnFiles?: FilesBridge };
  if (!w.cairn) return null;
  const files = w.cairnFiles;
  return createApi(w.cairn, async (dropped) => {
    try {
      return files?.grantDropped ? await files.grantDropped(dropped) : [];
    } catch {
      return [];
    }
  });
}
