import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorPanel } from '../components/error-panel.tsx';
import { useNavigate, useSettingsActions, useSettingsState } from '../state/hooks.ts';
import type { SettingsSection } from '../state/ui-slice.ts';
import { ProvidersSection } from './settings-providers.tsx';
import { EngineSection, GeneralSection, PricesSection } from './settings-sections.tsx';

const SECTIONS: { id: SettingsSection; label: 'tabProviders' | 'tabPrices' | 'tabEngine' | 'tabGeneral' }[] = [
  { id: 'providers', label: 'tabProviders' },
  { id: 'prices', label: 'tabPrices' },
  { id: 'engine', label: 'tabEngine' },
  { id: 'general', label: 'tabGeneral' },
];

export function SettingsView({ section = 'providers' }: { section?: SettingsSection | undefined }) {
  const { value, load, info } = useSettingsState();
  const { loadSettings } = useSettingsActions();
  const navigate = useNavigate();
  const { t } = useTranslation();
  const active: SettingsSection = section === 'keys' ? 'providers' : section;

  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  return (
    <div className="view">
      <header className="view-header"><h1>{t('settings.title')}</h1></header>
      {info?.settingsWarning ? (
        <div className="banner banner-warning" role="alert" data-testid="settings-warning"><p>{info.settingsWarning}</p></div>
      ) : null}
      {load.status === 'error' ? <ErrorPanel title={t('settings.couldNotLoad')} error={load.error} onRetry={() => void loadSettings()} /> : null}
      <div className="tabs" role="tablist" aria-label={t('settings.sectionsLabel')}>
        {SECTIONS.map((s) => (
          <button key={s.id} type="button" role="tab" id={`settings-tab-${s.id}`} aria-selected={active === s.id} aria-controls="settings-panel" onClick={() => navigate({ view: 'settings', section: s.id })}>{t(`settings.${s.label}`)}</button>
        ))}
      </div>
      <div id="settings-panel" role="tabpanel" aria-labelledby={`settings-tab-${active}`} className="card">
        {active === 'providers' ? <ProvidersSection /> : null}
        {value && active === 'prices' ? <PricesSection key={JSON.stringify(value.prices)} settings={value} /> : null}
        {value && active === 'engine' ? <EngineSection key={JSON.stringify([value.checkpointIntervalMs, value.retry, value.resumePolicy, value.autoResume])} settings={value} /> : null}
        {value && active === 'general' ? <GeneralSection key={value.dataDir ?? ''} settings={value} /> : null}
        {!value && load.status === 'loading' ? <p className="muted" role="status">{t('settings.loading')}</p> : null}
      </div>
    </div>
  );
}
