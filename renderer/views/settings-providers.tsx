import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ProviderProfile } from '../../shared/domain.ts';
import type { ProviderTestResult } from '../../shared/ipc/providers.ts';
import { useApi } from '../app/context.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { useSettingsActions, useSettingsState } from '../state/hooks.ts';
import { asReason } from '../state/ui-slice.ts';
import { ProviderForm } from './provider-form.tsx';

function KeyEditor({ profile }: { profile: ProviderProfile }) {
  const { keys } = useSettingsState();
  const { setKey, deleteKey } = useSettingsActions();
  // The key is write-only: it is sent once and cleared; nothing reads it back.
  const [draft, setDraft] = useState('');
  const { t } = useTranslation();
  const stored = keys?.stored.includes(profile.name) ?? false;
  if (profile.keySource.kind === 'env') return <p className="muted"><Trans i18nKey="providers.envKey" components={{ code: <code>{profile.keySource.variable}</code> }} /></p>;
  if (profile.keySource.kind === 'none') return <p className="muted">{t('providers.noKeySent')}</p>;
  return (
    <form className="key-editor" onSubmit={(e) => { e.preventDefault(); const k = draft; setDraft(''); if (k.trim()) void setKey(profile.name, k.trim()); }}>
      <p data-testid="key-status">{stored ? t('providers.keyStored') : t('providers.noKeyYet')}</p>
      <label className="field-inline">
        <span>{stored ? t('providers.replaceKey', { name: profile.name }) : t('providers.apiKey', { name: profile.name })}</span>
        <input type="password" autoComplete="off" spellCheck={false} value={draft} onChange={(e) => setDraft(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-small" disabled={!draft.trim()}>{t('providers.saveKey')}</button>
      {stored ? <button type="button" className="btn btn-small" onClick={() => void deleteKey(profile.name)}>{t('providers.deleteKey')}</button> : null}
    </form>
  );
}

function ProviderCard({ profile, onEdit }: { profile: ProviderProfile; onEdit(): void }) {
  const api = useApi();
  const { deleteProvider } = useSettingsActions();
  const [test, setTest] = useState<ProviderTestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { t } = useTranslation();
  const runTest = async () => {
    setTesting(true);
    try {
      setTest(await api.providersTest({ name: profile.name }));
    } catch (error) {
      const r = asReason(error);
      setTest({ ok: false, models: [], message: r.message, ...(r.hint ? { hint: r.hint } : {}) });
    } finally {
      setTesting(false);
    }
  };
  return (
    <li className="card provider" data-testid="provider-card" aria-label={t('providers.card', { name: profile.name })}>
      <div className="provider-head">
        <div>
          <h3>{profile.name} {profile.simulator ? <span className="badge badge-simulator">{t('status.simulator')}</span> : null}</h3>
          <p className="muted mono break">{profile.baseUrl} · {profile.model}</p>
        </div>
        <div className="actions">
          <button type="button" className="btn btn-small" onClick={() => void runTest()} disabled={testing}>{testing ? t('providers.testing') : t('providers.test')}</button>
          <button type="button" className="btn btn-small" onClick={onEdit}>{t('providers.edit')}</button>
          <button type="button" className="btn btn-small" onClick={() => setConfirmDelete(true)}>{t('providers.remove')}</button>
        </div>
      </div>
      {test ? (
        <div className={test.ok ? 'test-result test-ok' : 'test-result test-failed'} role={test.ok ? 'status' : 'alert'} data-testid="provider-test-result">
          <p>{test.ok ? '✓ ' : '✗ '}{test.message}</p>
          {test.hint ? <p className="hint">{test.hint}</p> : null}
          {test.ok && test.models.length > 0 ? <p className="muted">{t('providers.models', { count: test.models.length })}</p> : null}
        </div>
      ) : null}
      <KeyEditor profile={profile} />
      {confirmDelete ? (
        <ConfirmDialog title={t('providers.removeTitle', { name: profile.name })} confirmLabel={t('providers.remove')} danger onCancel={() => setConfirmDelete(false)} onConfirm={() => { setConfirmDelete(false); void deleteProvider(profile.name); }}>
          <p>{t('providers.removeBody')}</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}

export function ProvidersSection() {
  const { providers, keys } = useSettingsState();
  const { saveProvider } = useSettingsActions();
  const [editing, setEditing] = useState<ProviderProfile | 'new' | null>(null);
  const { t } = useTranslation();
  return (
    <section aria-labelledby="providers-heading" data-testid="settings-providers">
      <div className="section-head">
        <h2 id="providers-heading">{t('providers.heading')}</h2>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>{t('providers.add')}</button>
      </div>
      {keys && !keys.encryptionAvailable ? (
        <div className="banner banner-warning" role="alert" data-testid="keyring-warning">
          <p><strong>{t('providers.keyringTitle')}</strong> ({keys.backend}). {t('providers.keyringBody')}</p>
        </div>
      ) : null}
      {editing ? <ProviderForm key={editing === 'new' ? 'new' : editing.name} initial={editing === 'new' ? null : editing} onSave={saveProvider} onCancel={() => setEditing(null)} /> : null}
      {providers.length === 0 ? <p className="muted">{t('providers.none')}</p> : null}
      <ul className="provider-list">
        {providers.map((p) => <ProviderCard key={p.name} profile={p} onEdit={() => setEditing(p)} />)}
      </ul>
    </section>
  );
}
