import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { isAutoResumable } from '../../shared/session-state.ts';
import { Toaster } from '../components/toaster.tsx';
import { resolveLanguage, setLanguage } from '../i18n/i18n.ts';
import { useDismissEngineNotice, useEngineNotice, useNavigate, useRoute, useSessionsList, useSettingsActions, useSettingsState } from '../state/hooks.ts';
import type { Route } from '../state/ui-slice.ts';
import { BackupsView } from '../views/backups-view.tsx';
import { NewAnalysisView } from '../views/new-analysis-view.tsx';
import { SessionView } from '../views/session-view.tsx';
import { SessionsView } from '../views/sessions-view.tsx';
import { SettingsView } from '../views/settings-view.tsx';

const NAV: { id: 'sessions' | 'new' | 'backups' | 'settings'; route: Route; match: Route['view'][] }[] = [
  { id: 'sessions', route: { view: 'sessions' }, match: ['sessions', 'session'] },
  { id: 'new', route: { view: 'new' }, match: ['new'] },
  { id: 'backups', route: { view: 'backups' }, match: ['backups'] },
  { id: 'settings', route: { view: 'settings' }, match: ['settings'] },
];

// The product's name and mark are the same in every language.
const BRAND = 'Cairn';
const BRAND_MARK = '▲';

/** Follows the OS's languages unless the setting picks one; switching needs no restart. */
function useLanguage() {
  const { value, info } = useSettingsState();
  const setting = value?.language ?? 'system';
  const system = info?.systemLanguages;
  useEffect(() => {
    setLanguage(resolveLanguage(setting, system));
  }, [setting, system]);
}

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
  const { t } = useTranslation();
  if (!notice) return null;
  const n = notice.interrupted;
  return (
    <section className="banner banner-warning engine-notice" role="alert" aria-label={t('app.engineRestartedLabel')} data-testid="engine-restarted">
      <p>
        <strong>{t('app.engineRestarted')}</strong>{' '}
        {n === 0 ? t('app.nothingRunning') : t('app.sessionsInterrupted', { count: n })}
      </p>
      <button type="button" className="btn btn-quiet" onClick={dismiss} aria-label={t('app.dismissEngineNotice')}>{t('common.dismiss')}</button>
    </section>
  );
}

export function App() {
  const route = useRoute();
  const navigate = useNavigate();
  const { loadSettings } = useSettingsActions();
  const interrupted = useSessionsList().items.filter(isAutoResumable).length;
  const { t } = useTranslation();
  useTheme();
  useLanguage();
  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  return (
    <div className="shell">
      <a href="#main" className="skip-link">{t('app.skipToContent')}</a>
      <nav className="sidebar" aria-label={t('app.mainNav')}>
        <div className="brand" aria-hidden="true"><span className="brand-mark">{BRAND_MARK}</span> {BRAND}</div>
        <ul>
          {NAV.map((n) => {
            const current = n.match.includes(route.view);
            return (
              <li key={n.id}>
                <button type="button" className={current ? 'nav-item nav-current' : 'nav-item'} aria-current={current ? 'page' : undefined} onClick={() => navigate(n.route)}>
                  {t(`nav.${n.id}`)}
                  {n.id === 'sessions' && interrupted > 0 ? <span className="nav-count" aria-label={t('app.interruptedCount', { count: interrupted })}>{interrupted}</span> : null}
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
