// Components get the API and the stores from context, never from `window`.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { Api } from '../api.ts';
import { createAppStore, type AppState } from '../state/app-store.ts';
import type { Route } from '../state/ui-slice.ts';
import { connectEvents } from '../state/events.ts';
import { createStreamStore, type StreamState } from '../stream/stream-store.ts';

interface AppContextValue {
  api: Api;
  store: StoreApi<AppState>;
  streams: StoreApi<StreamState>;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ api, initialRoute, children }: { api: Api; initialRoute?: Route; children: ReactNode }) {
  const [value] = useState<AppContextValue>(() => {
    const store = createAppStore(api);
    if (initialRoute) store.getState().navigate(initialRoute);
    return { api, store, streams: createStreamStore() };
  });
  useEffect(() => connectEvents(value.api, value.store, value.streams), [value]);
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

function useAppContext(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('AppProvider is missing above this component');
  return ctx;
}

export const useApi = (): Api => useAppContext().api;

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

export function useStreamStore<T>(selector: (state: StreamState) => T): T {
  return useStore(useAppContext().streams, selector);
}

/** Imperative access for event handlers (never re-renders). */
export const useAppStoreApi = (): StoreApi<AppState> => useAppContext().store;
