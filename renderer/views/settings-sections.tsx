import { useId, useState } from 'react';
import type { PriceEntry, Settings } from '../../shared/settings.ts';
import { useApi } from '../app/context.tsx';
import { useSettingsActions, useSettingsState, useUiActions } from '../state/hooks.ts';

interface PriceDraft { model: string; input: string; output: string; setAt: string }

const today = () => new Date().toISOString().slice(0, 10);

export function PricesSection({ settings }: { settings: Settings }) {
  const { saveSettings } = useSettingsActions();
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
      <h2 id="prices-heading">Price table</h2>
      <p className="muted">USD per million tokens. Costs and budgets use these; a model without a price shows no cost estimate.</p>
      <form onSubmit={(e) => { e.preventDefault(); if (valid) void saveSettings({ prices: parsed as PriceEntry[] }, 'Prices'); }}>
        <table className="table" aria-label="Prices">
          <thead><tr><th scope="col">Model</th><th scope="col">Input / MTok</th><th scope="col">Output / MTok</th><th scope="col">Set on</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td><input aria-label={`Model of price row ${i + 1}`} value={r.model} onChange={(e) => update(i, { model: e.target.value })} /></td>
                <td><input aria-label={`Input price of ${r.model || `row ${i + 1}`}`} inputMode="decimal" value={r.input} onChange={(e) => update(i, { input: e.target.value })} /></td>
                <td><input aria-label={`Output price of ${r.model || `row ${i + 1}`}`} inputMode="decimal" value={r.output} onChange={(e) => update(i, { output: e.target.value })} /></td>
                <td>{r.setAt || '—'}</td>
                <td><button type="button" className="btn btn-small" onClick={() => setRows((prev) => prev.filter((_, j) => j !== i))} aria-label={`Remove price of ${r.model || `row ${i + 1}`}`}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {!valid ? <p className="field-error">Every row needs a model and prices of 0 or more.</p> : null}
        <div className="actions">
          <button type="button" className="btn" onClick={() => setRows((prev) => [...prev, { model: '', input: '', output: '', setAt: '' }])}>Add price</button>
          <button type="submit" className="btn btn-primary" disabled={!valid}>Save prices</button>
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
    }, 'Engine settings');
  };
  const num = (label: string, value: string, set: (v: string) => void, hint: string, ok: boolean) => (
    <NumberField label={label} value={value} onChange={set} hint={hint} ok={ok} />
  );
  return (
    <section aria-labelledby="engine-heading">
      <h2 id="engine-heading">Checkpoints, retries and resuming</h2>
      <form onSubmit={(e) => { e.preventDefault(); save(); }}>
        <div className="grid-2">
          {num('Checkpoint interval for streamed text (ms)', interval, setInterval_, '20 to 10,000 ms. Shorter loses less on a crash.', values.interval !== null)}
          {num('Retry attempts per step', attempts, setAttempts, '1 to 100.', values.attempts !== null)}
          {num('First retry delay (ms)', baseMs, setBaseMs, '10 to 600,000 ms; doubles with jitter.', values.baseMs !== null)}
          {num('Longest retry delay (ms)', capMs, setCapMs, '100 to 3,600,000 ms.', values.capMs !== null)}
          {num('Treat a silent stream as stalled after (ms)', stallMs, setStallMs, '1,000 to 3,600,000 ms.', values.stallMs !== null)}
        </div>
        <fieldset className="radio-group">
          <legend>When resuming an interrupted step</legend>
          <label><input type="radio" name="resume-policy" checked={resumePolicy === 'restart'} onChange={() => setResumePolicy('restart')} /> Restart the step (keep the partial text in the timeline)</label>
          <label><input type="radio" name="resume-policy" checked={resumePolicy === 'continue'} onChange={() => setResumePolicy('continue')} /> Continue from the partial text</label>
        </fieldset>
        <label className="check"><input type="checkbox" checked={autoResume} onChange={(e) => setAutoResume(e.target.checked)} /> Resume interrupted sessions automatically when Cairn starts</label>
        <div className="actions"><button type="submit" className="btn btn-primary" disabled={!valid}>Save engine settings</button></div>
      </form>
    </section>
  );
}

/** Copies what a bug report needs; main gathers and redacts it. */
function CopyDiagnostics() {
  const api = useApi();
  const { pushToast, reportError } = useUiActions();
  const copy = async () => {
    try {
      const { text } = await api.appDiagnostics({});
      await api.appCopyText({ text });
      pushToast({ kind: 'success', message: 'Diagnostics copied: versions, settings without keys, the last log lines and a store check.' });
    } catch (error) {
      reportError(error, 'Could not copy the diagnostics');
    }
  };
  return <div className="actions"><button type="button" className="btn" onClick={() => void copy()}>Copy diagnostics</button></div>;
}

export function GeneralSection({ settings }: { settings: Settings }) {
  const { info } = useSettingsState();
  const { saveSettings } = useSettingsActions();
  const [dataDir, setDataDir] = useState(settings.dataDir ?? '');
  return (
    <section aria-labelledby="general-heading">
      <h2 id="general-heading">General</h2>
      <label className="field">
        <span>Theme</span>
        <select value={settings.theme} onChange={(e) => void saveSettings({ theme: e.target.value as Settings['theme'] }, 'Theme')}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <form onSubmit={(e) => { e.preventDefault(); void saveSettings({ dataDir: dataDir.trim() || null }, 'Data directory'); }}>
        <div className="field">
          <label htmlFor="data-dir">Data directory (shared with the cairn command)</label>
          <input id="data-dir" value={dataDir} onChange={(e) => setDataDir(e.target.value)} placeholder={info?.dataDir ?? 'Default location'} aria-describedby="data-dir-hint" />
          <small id="data-dir-hint" className="muted">Currently in use: <span className="mono break">{info?.dataDir ?? '—'}</span>. Leave empty for the default. Takes effect after a restart.</small>
        </div>
        <div className="actions"><button type="submit" className="btn">Save data directory</button></div>
      </form>
      {info ? <p className="muted">Cairn {info.version} on {info.platform}</p> : null}
      <CopyDiagnostics />
    </section>
  );
}
