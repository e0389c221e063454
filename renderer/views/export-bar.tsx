import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../app/context.tsx';
import { useUiActions } from '../state/hooks.ts';

const FORMATS = [
  { id: 'md', label: 'Markdown' },
  { id: 'json', label: 'JSON' },
  { id: 'html', label: 'HTML' },
] as const;

export function ExportBar({ sessionId, report }: { sessionId: string; report: string | null }) {
  const api = useApi();
  const { pushToast, reportError } = useUiActions();
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();

  const exportAs = async (format: 'md' | 'json' | 'html', label: string) => {
    setBusy(true);
    try {
      const { savedTo } = await api.sessionsExport({ id: sessionId, format, save: true });
      pushToast(savedTo ? { kind: 'success', message: t('export.done', { format: label, path: savedTo }) } : { kind: 'info', message: t('export.cancelled') });
    } catch (error) {
      reportError(error, t('export.failed', { format: label }));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!report) return;
    try {
      // Through main: Electron denies the page the clipboard-sanitized-write permission.
      await api.appCopyText({ text: report });
      pushToast({ kind: 'success', message: t('export.copied') });
    } catch (error) {
      reportError(error, t('export.copyFailed'));
    }
  };

  return (
    <section className="card export" aria-labelledby="export-heading">
      <h2 id="export-heading">{t('export.heading')}</h2>
      <div className="actions">
        {FORMATS.map((f) => (
          <button key={f.id} type="button" className="btn" disabled={busy} onClick={() => void exportAs(f.id, f.label)}>{t('export.as', { format: f.label })}</button>
        ))}
        <button type="button" className="btn" disabled={!report} onClick={() => void copy()}>{t('export.copy')}</button>
      </div>
    </section>
  );
}
