// Renders the whole app (or one view) over a FakeCairn, and cleans up after each test.
import { cleanup, render, type RenderResult } from '@testing-library/react';
import { afterEach } from 'vitest';
import type { StoreApi } from 'zustand/vanilla';
import type { Api } from '../../renderer/api.ts';
import { App } from '../../renderer/app/app.tsx';
import { AppProvider, useAppStoreApi } from '../../renderer/app/context.tsx';
import type { AppState } from '../../renderer/state/app-store.ts';
import type { Route } from '../../renderer/state/ui-slice.ts';
import { FakeCairn } from './fake-api.ts';

afterEach(() => cleanup());

function StoreProbe({ onStore }: { onStore(store: StoreApi<AppState>): void }) {
  onStore(useAppStoreApi());
  return null;
}

export interface Rendered extends RenderResult {
  fake: FakeCairn;
  store: () => StoreApi<AppState>;
}

export function renderApp(fake: FakeCairn = new FakeCairn(), route?: Route): Rendered {
  return { ...renderWithApi(fake.api(), route), fake };
}

/** The app over any Api: a FakeCairn's, or one bridged to the real service (service-bridge.ts). */
export function renderWithApi(api: Api, route?: Route): Omit<Rendered, 'fake'> {
  let store: StoreApi<AppState> | null = null;
  const result = render(
    <AppProvider api={api} {...(route ? { initialRoute: route } : {})}>
      <StoreProbe onStore={(s) => { store = s; }} />
      <App />
    </AppProvider>,
  );
  return {
    ...result,
    store: () => {
      if (!store) throw new Error('store not captured');
      return store;
    },
  };
}
