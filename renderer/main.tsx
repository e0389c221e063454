import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { windowApi } from './api.ts';
import { App } from './app/app.tsx';
import { AppProvider } from './app/context.tsx';
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
      <h1>Cairn cannot reach its engine</h1>
      <p>This page must be opened by the Cairn desktop app, which provides its window API. Start Cairn with <code>npm start</code>.</p>
    </main>,
  );
}
