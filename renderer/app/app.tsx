import { useEffect } from 'react';
import { isAutoResumable } from '../../shared/session-state.ts';
import { Toaster } from '../components/toaster.tsx';
import { useDismissEngineNotice, useEngineNotice, useNavigate, useRoute, useSessionsList, useSettingsActions, useSettingsState } from '../state/hooks.ts';
import type { Route } from '../state/ui-slice.ts';
import { BackupsView } from '../views/backups-view.tsx';
import { NewAnalysisView } from '../views/new-analysis-view.tsx';
import { SessionView } from '../views/session-view.tsx';
import { SessionsView } from '../views/sessions-view.tsx';
import { SettingsView } from '../views/settings-view.tsx';

const NAV: { label: string; route: Route; match: Route['view'][] }[] = [
  { label: 'Sessions', route: { view: 'sessions' }, match: ['sessions', 'session'] },
  { label: 'New analysis', route: { view: 'new' }, match: ['new'] },
  { label: 'Backups', route: { view: 'backups' }, match: ['backups'] },
  { label: 'Settings', route: { view: 'settings' }, match: ['settings'] },
];

/** Follows the OS (prefers-color-scheme) unless the setting picks light or dark. */
function useTheme() {
  const theme = useSettingsState().value?.theme ?? 'system';
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}

function CurrentView() {
  const route = useRoute();
  switch (route.view) {
    case 'sessions': return <SessionsView />;
    case 'new': return <NewAnalysisView />;
    case 'session': return <SessionView sessionId={route.sessionId} tab={route.tab} />;
    case 'backups': return <BackupsView />;
    case 'settings': return <SettingsView section={route.section} />;
  }
}

/** Shown when the engine process stopped and main restarted it, until dismissed. */
function EngineRestartedNotice() {
  const notice = useEngineNotice();
  const dismiss = useDismissEngineNotice();
  if (!notice) return null;
  const n = notice.interrupted;
  return (
    <section className="banner banner-warning engine-notice" role="alert" aria-label="Engine restarted" data-testid="engine-restarted">
      <p>
        <strong>Cairn's engine stopped unexpectedly and was restarted.</strong>{' '}
        {n === 0 ? 'Nothing was running.' : `${n} ${n === 1 ? 'session was' : 'sessions were'} interrupted; everything already checkpointed is kept. Resume to go on.`}
      </p>
      <button type="button" className="btn btn-quiet" onClick={dismiss} aria-label="Dismiss engine notice">Dismiss</button>
    </section>
  );
}

export function App() {
  const route = useRoute();
  const navigate = useNavigate();
  const { loadSettings } = useSettingsActions();
  const interrupted = useSessionsList().items.filter(isAutoResumable).length;
  useTheme();
  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  return (
    <div className="shell">
      <a href="#main" className="skip-link">Skip to content</a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand" aria-hidden="true"><span className="brand-mark">▲</span> Cairn</div>
        <ul>
          {NAV.map((n) => {
            const current = n.match.includes(route.view);
            return (
              <li key={n.label}>
                <button type="button" className={current ? 'nav-item nav-current' : 'nav-item'} aria-current={current ? 'page' : undefined} onClick={() => navigate(n.route)}>
                  {n.label}
                  {n.label === 'Sessions' && interrupted > 0 ? <span className="nav-count" aria-label={`${interrupted} interrupted`}>{interrupted}</span> : null}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <EngineRestartedNotice />
        <CurrentView />
      </main>
      <Toaster />
    </div>
  );
}
