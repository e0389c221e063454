import { useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { LanguageSettingSchema, type PriceEntry, type Settings } from '../../shared/settings.ts';
import { useApi } from '../app/context.tsx';
import { useSettingsActions, useSettingsState, useUiActions } from '../state/hooks.ts';

interface PriceDraft { model: string; input: string; output: string; setAt: string }

const today = () => new Date().toISOString().slice(0, 10);

export function PricesSection({ settings }: { settings: Settings }) {
  const { saveSettings } = useSettingsActions();
  const { t } = useTranslation();
  const [rows, setRows] = useState<PriceDraft[]>(() => settings.prices.map((p) => ({ model: p.model, input: String(p.inputPerMTok), output: String(p.outputPerMTok), setAt: p.setAt })));
  const parsed: (PriceEntry | null)[] = rows.map((r) => {
    const i = Number(r.input);
    const o = Number(r.output);
    if (!r.model.trim() || r.input.trim() === '' || r.output.trim() === '' || !(i >= 0) || !(o >= 0)) return null;
    const old = settings.prices.find((p) => p.model === r.model.trim());
    const unchanged = old && old.inputPerMTok === i && old.outputPerMTok === o;
    return { model: r.model.trim(), inputPerMTok: i, outputPerMTok: o, setAt: unchanged ? old.setAt : today() };
  });
  const valid = parsed.every((p) => p !== null);
  const update = (index: number, patch: Partial<PriceDraft>) => setRows((prev) => prev.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  return (
    <section aria-labelledby="prices-heading">
      <h2 id="prices-heading">{t('settings.prices.heading')}</h2>
      <p className="muted">{t('settings.prices.intro')}</p>
      <form onSubmit={(e) => { e.preventDefault(); if (valid) void saveSettings({ prices: parsed as PriceEntry[] }, t('settings.prices.what')); }}>
        <table className="table" aria-label={t('settings.prices.table')}>
          <thead><tr><th scope="col">{t('settings.prices.model')}</th><th scope="col">{t('settings.prices.input')}</th><th scope="col">{t('settings.prices.output')}</th><th scope="col">{t('settings.prices.setOn')}</th><th scope="col"><span className="sr-only">{t('settings.prices.actions')}</span></th></tr></thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td><input aria-label={t('settings.prices.modelOfRow', { n: i + 1 })} value={r.model} onChange={(e) => update(i, { model: e.target.value })} /></td>
                <td><input aria-label={t('settings.prices.inputOf', { name: r.model || t('settings.prices.rowN', { n: i + 1 }) })} inputMode="decimal" value={r.input} onChange={(e) => update(i, { input: e.target.value })} /></td>
                <td><input aria-label={t('settings.prices.outputOf', { name: r.model || t('settings.prices.rowN', { n: i + 1 }) })} inputMode="decimal" value={r.output} onChange={(e) => update(i, { output: e.target.value })} /></td>
                <td>{r.setAt || '—'}</td>
                <td><button type="button" className="btn btn-small" onClick={() => setRows((prev) => prev.filter((_, j) => j !== i))} aria-label={t('settings.prices.removeOf', { name: r.model || t('settings.prices.rowN', { n: i + 1 }) })}>{t('settings.prices.remove')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {!valid ? <p className="field-error">{t('settings.prices.invalid')}</p> : null}
        <div className="actions">
          <button type="button" className="btn" onClick={() => setRows((prev) => [...prev, { model: '', input: '', output: '', setAt: '' }])}>{t('settings.prices.add')}</button>
          <button type="submit" className="btn btn-primary" disabled={!valid}>{t('settings.prices.save')}</button>
        </div>
      </form>
    </section>
  );
}

function NumberField({ label, value, onChange, hint, ok }: { label: string; value: string; onChange(v: string): void; hint: string; ok: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!ok} aria-describedby={`${id}-hint`} />
      <small id={`${id}-hint`} className={ok ? 'muted' : 'field-error'}>{hint}</small>
    </div>
  );
}

const intIn = (s: string, min: number, max: number): number | null => {
  const n = Number(s);
  return s.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
};

export function EngineSection({ settings }: { settings: Settings }) {
  const { saveSettings } = useSettingsActions();
  const { t } = useTranslation();
  const [interval, setInterval_] = useState(String(settings.checkpointIntervalMs));
  const [attempts, setAttempts] = useState(String(settings.retry.maxAttempts));
  const [baseMs, setBaseMs] = useState(String(settings.retry.baseMs));
  const [capMs, setCapMs] = useState(String(settings.retry.capMs));
  const [stallMs, setStallMs] = useState(String(settings.retry.stallMs));
  const [resumePolicy, setResumePolicy] = useState(settings.resumePolicy);
  const [autoResume, setAutoResume] = useState(settings.autoResume);
  const values = { interval: intIn(interval, 20, 10_000), attempts: intIn(attempts, 1, 100), baseMs: intIn(baseMs, 10, 600_000), capMs: intIn(capMs, 100, 3_600_000), stallMs: intIn(stallMs, 1_000, 3_600_000) };
  const valid = Object.values(values).every((v) => v !== null);
  const save = () => {
    if (!valid) return;
    void saveSettings({
      checkpointIntervalMs: values.interval!,
      retry: { maxAttempts: values.attempts!, baseMs: values.baseMs!, capMs: values.capMs!, stallMs: values.stallMs! },
      resumePolicy, autoResume,
    }, t('settings.engine.what'));
  };
  const num = (label: string, value: string, set: (v: string) => void, hint: string, ok: boolean) => (
    <NumberField label={label} value={value} onChange={set} hint={hint} ok={ok} />
  );
  return (
    <section aria-labelledby="engine-heading">
      <h2 id="engine-heading">{t('settings.engine.heading')}</h2>
      <form onSubmit={(e) => { e.preventDefault(); save(); }}>
        <div className="grid-2">
          {num(t('settings.engine.interval'), interval, setInterval_, t('settings.engine.intervalHint'), values.interval !== null)}
          {num(t('settings.engine.attempts'), attempts, setAttempts, t('settings.engine.attemptsHint'), values.attempts !== null)}
          {num(t('settings.engine.baseMs'), baseMs, setBaseMs, t('settings.engine.baseMsHint'), values.baseMs !== null)}
          {num(t('settings.engine.capMs'), capMs, setCapMs, t('settings.engine.capMsHint'), values.capMs !== null)}
          {num(t('settings.engine.stallMs'), stallMs, setStallMs, t('settings.engine.stallMsHint'), values.stallMs !== null)}
        </div>
        <fieldset className="radio-group">
          <legend>{t('settings.engine.resumeLegend')}</legend>
          <label><input type="radio" name="resume-policy" checked={resumePolicy === 'restart'} onChange={() => setResumePolicy('restart')} /> {t('settings.engine.restart')}</label>
          <label><input type="radio" name="resume-policy" checked={resumePolicy === 'continue'} onChange={() => setResumePolicy('continue')} /> {t('settings.engine.continue')}</label>
        </fieldset>
        <label className="check"><input type="checkbox" checked={autoResume} onChange={(e) => setAutoResume(e.target.checked)} /> {t('settings.engine.autoResume')}</label>
        <div className="actions"><button type="submit" className="btn btn-primary" disabled={!valid}>{t('settings.engine.save')}</button></div>
      </form>
    </section>
  );
}

/** Copies what a bug report needs; main gathers and redacts it. */
function CopyDiagnostics() {
  const api = useApi();
  const { pushToast, reportError } = useUiActions();
  const { t } = useTranslation();
  const copy = async () => {
    try {
      const { text } = await api.appDiagnostics({});
      await api.appCopyText({ text });
      pushToast({ kind: 'success', message: t('settings.general.diagnosticsCopied') });
    } catch (error) {
      reportError(error, t('settings.general.diagnosticsFailed'));
    }
  };
  return <div className="actions"><button type="button" className="btn" onClick={() => void copy()}>{t('settings.general.copyDiagnostics')}</button></div>;
}

export function GeneralSection({ settings }: { settings: Settings }) {
  const { info } = useSettingsState();
  const { saveSettings } = useSettingsActions();
  const [dataDir, setDataDir] = useState(settings.dataDir ?? '');
  const { t } = useTranslation();
  return (
    <section aria-labelledby="general-heading">
      <h2 id="general-heading">{t('settings.general.heading')}</h2>
      <label className="field">
        <span>{t('settings.general.language')}</span>
        <select value={settings.language} onChange={(e) => void saveSettings({ language: LanguageSettingSchema.parse(e.target.value) }, t('settings.general.whatLanguage'))}>
          {LanguageSettingSchema.options.map((lang) => <option key={lang} value={lang} lang={lang === 'system' ? undefined : lang}>{t(`language.${lang}`)}</option>)}
        </select>
      </label>
      <label className="field">
        <span>{t('settings.general.theme')}</span>
        <select value={settings.theme} onChange={(e) => void saveSettings({ theme: e.target.value as Settings['theme'] }, t('settings.general.whatTheme'))}>
          <option value="system">{t('settings.general.themeSystem')}</option>
          <option value="light">{t('settings.general.themeLight')}</option>
          <option value="dark">{t('settings.general.themeDark')}</option>
        </select>
      </label>
      <form onSubmit={(e) => { e.preventDefault(); void saveSettings({ dataDir: dataDir.trim() || null }, t('settings.general.whatDataDir')); }}>
        <div className="field">
          <label htmlFor="data-dir">{t('settings.general.dataDir')}</label>
          <input id="data-dir" value={dataDir} onChange={(e) => setDataDir(e.target.value)} placeholder={info?.dataDir ?? t('settings.general.defaultLocation')} aria-describedby="data-dir-hint" />
          <small id="data-dir-hint" className="muted"><Trans i18nKey="settings.general.dataDirHint" components={{ path: <span className="mono break">{info?.dataDir ?? '—'}</span> }} /></small>
        </div>
        <div className="actions"><button type="submit" className="btn">{t('settings.general.saveDataDir')}</button></div>
      </form>
      {info ? <p className="muted">{t('settings.general.version', { version: info.version, platform: info.platform })}</p> : null}
      <CopyDiagnostics />
    </section>
  );
}
