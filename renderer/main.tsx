import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Trans } from 'react-i18next';
import { z } from 'zod';
import { windowApi } from './api.ts';
import { App } from './app/app.tsx';
import { AppProvider } from './app/context.tsx';
import { i18n } from './i18n/i18n.ts';
import './styles/app.css';

// The page's CSP forbids eval; tell zod not to probe for it (the probe itself is a CSP violation).
z.config({ jitless: true });

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);
const api = windowApi();

if (api) {
  root.render(
    <StrictMode>
      <AppProvider api={api}>
        <App />
      </AppProvider>
    </StrictMode>,
  );
} else {
  root.render(
    <main className="main no-bridge" role="alert">
      <h1>{i18n.t('app.noBridgeTitle')}</h1>
      <p><Trans i18n={i18n} i18nKey="app.noBridgeBody" components={{ code: <code /> }} /></p>
    </main>,
  );
}
