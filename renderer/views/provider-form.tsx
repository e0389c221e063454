import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProviderProfileSchema, type ProviderProfile } from '../../shared/domain.ts';
import { i18n } from '../i18n/i18n.ts';

type KeyKind = ProviderProfile['keySource']['kind'];

function headersToText(headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n');
}

function textToHeaders(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const i = line.indexOf(':');
    if (i <= 0) return i18n.t('providerForm.badHeader', { line: line.trim() });
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** Add or edit a provider profile; validated with the shared schema before it is sent. */
export function ProviderForm({ initial, onSave, onCancel }: { initial: ProviderProfile | null; onSave(p: ProviderProfile): Promise<boolean>; onCancel(): void }) {
  const [name, setName] = useState(initial?.name ?? '');
  const [baseUrl, setBaseUrl] = useState(initial?.baseUrl ?? 'https://api.openai.com/v1');
  const [model, setModel] = useState(initial?.model ?? '');
  const [keyKind, setKeyKind] = useState<KeyKind>(initial?.keySource.kind ?? 'keystore');
  const [envVar, setEnvVar] = useState(initial?.keySource.kind === 'env' ? initial.keySource.variable : '');
  const [headers, setHeaders] = useState(headersToText(initial?.headers ?? {}));
  const [contextTokens, setContextTokens] = useState(initial?.contextTokens ? String(initial.contextTokens) : '');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { t } = useTranslation();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsedHeaders = textToHeaders(headers);
    if (typeof parsedHeaders === 'string') return setProblem(parsedHeaders);
    const keySource = keyKind === 'env' ? { kind: 'env' as const, variable: envVar.trim() } : keyKind === 'keystore' ? { kind: 'keystore' as const, profile: name.trim() } : { kind: 'none' as const };
    const candidate = {
      name: name.trim(), baseUrl: baseUrl.trim(), model: model.trim(), headers: parsedHeaders, keySource,
      // Stored secret headers are kept unless a new value is typed for them.
      ...(initial?.secretHeaders?.length ? { secretHeaders: initial.secretHeaders } : {}),
      simulator: initial?.simulator ?? false,
      ...(contextTokens.trim() ? { contextTokens: Number(contextTokens) } : {}),
    };
    const parsed = ProviderProfileSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return setProblem(issue ? t('providerForm.issue', { field: issue.path.join('.') || t('providerForm.profile'), message: issue.message }) : t('providerForm.invalid'));
    }
    setProblem(null);
    setSaving(true);
    const ok = await onSave(parsed.data);
    setSaving(false);
    if (ok) onCancel();
  };

  return (
    <form className="card provider-form" onSubmit={(e) => void submit(e)} aria-label={initial ? t('providerForm.editLabel', { name: initial.name }) : t('providerForm.addLabel')}>
      <h3>{initial ? t('providerForm.editTitle', { name: initial.name }) : t('providerForm.addTitle')}</h3>
      <div className="grid-2">
        <label className="field"><span>{t('providerForm.name')}</span><input value={name} onChange={(e) => setName(e.target.value)} disabled={initial !== null} required /></label>
        <label className="field"><span>{t('providerForm.baseUrl')}</span><input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} required /></label>
        <label className="field"><span>{t('providerForm.model')}</span><input value={model} onChange={(e) => setModel(e.target.value)} required /></label>
        <label className="field"><span>{t('providerForm.contextTokens')}</span><input type="number" min={1} value={contextTokens} onChange={(e) => setContextTokens(e.target.value)} /></label>
        <label className="field">
          <span>{t('providerForm.keyFrom')}</span>
          <select value={keyKind} onChange={(e) => setKeyKind(e.target.value as KeyKind)}>
            <option value="keystore">{t('providerForm.keyStored')}</option>
            <option value="env">{t('providerForm.keyEnv')}</option>
            <option value="none">{t('providerForm.keyNone')}</option>
          </select>
        </label>
        {keyKind === 'env' ? <label className="field"><span>{t('providerForm.variable')}</span><input value={envVar} onChange={(e) => setEnvVar(e.target.value)} placeholder="OPENAI_API_KEY" /></label> : null}
      </div>
      <label className="field"><span>{t('providerForm.headers')}</span><textarea rows={2} value={headers} onChange={(e) => setHeaders(e.target.value)} /></label>
      <p className="muted" data-testid="secret-headers">
        {t('providerForm.secretHeaders')}
        {initial?.secretHeaders?.length ? t('providerForm.secretStored', { names: initial.secretHeaders.join(', ') }) : ''}
      </p>
      {problem ? <p className="field-error" role="alert">{problem}</p> : null}
      <div className="actions">
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="btn btn-primary" disabled={saving}>{t('providerForm.save')}</button>
      </div>
    </form>
  );
}
