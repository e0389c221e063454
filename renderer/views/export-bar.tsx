import { useState } from 'react';
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

  const exportAs = async (format: 'md' | 'json' | 'html', label: string) => {
    setBusy(true);
    try {
      const { savedTo } = await api.sessionsExport({ id: sessionId, format, save: true });
      pushToast(savedTo ? { kind: 'success', message: `Exported ${label} to ${savedTo}` } : { kind: 'info', message: 'Export cancelled.' });
    } catch (error) {
      reportError(error, `${label} export failed`);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!report) return;
    try {
      // Through main: Electron denies the page the clipboard-sanitized-write permission.
      await api.appCopyText({ text: report });
      pushToast({ kind: 'success', message: 'Report copied to the clipboard.' });
    } catch (error) {
      reportError(error, 'Could not copy the report');
    }
  };

  return (
    <section className="card export" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <div className="actions">
        {FORMATS.map((f) => (
          <button key={f.id} type="button" className="btn" disabled={busy} onClick={() => void exportAs(f.id, f.label)}>Export {f.label}</button>
        ))}
        <button type="button" className="btn" disabled={!report} onClick={() => void copy()}>Copy report</button>
      </div>
    </section>
  );
}
