import { useEffect, useState } from 'react';
import type { BackupInfo } from '../../shared/domain.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { formatBytes, formatTime } from '../format.ts';
import { useBackups, useBackupsActions, useSessionsActions, useSessionsList, useSettingsActions, useSettingsState } from '../state/hooks.ts';

const VERIFIED: Record<BackupInfo['verified'], string> = { ok: 'Verified', failed: 'Damaged', unverified: 'Not verified' };

function RestoreDialog({ backup, onClose }: { backup: BackupInfo; onClose(): void }) {
  const { restoreBackup } = useBackupsActions();
  const { items: sessions } = useSessionsList();
  const [mode, setMode] = useState<'replace' | 'new-session'>('new-session');
  const [sessionId, setSessionId] = useState('');
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    const ok = await restoreBackup(backup.id, mode, mode === 'new-session' && sessionId ? sessionId : undefined);
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <ConfirmDialog title={`Restore the backup of ${formatTime(backup.createdAt)}?`} confirmLabel="Restore" danger={mode === 'replace'} busy={busy} onCancel={onClose} onConfirm={() => void confirm()}>
      <fieldset className="radio-group">
        <legend>How to restore</legend>
        <label><input type="radio" name="restore-mode" checked={mode === 'new-session'} onChange={() => setMode('new-session')} /> Into new sessions, next to the current data</label>
        <label><input type="radio" name="restore-mode" checked={mode === 'replace'} onChange={() => setMode('replace')} /> Replace all current data with the backup</label>
      </fieldset>
      {mode === 'new-session' ? (
        <label className="field">
          <span>Session to restore</span>
          <select value={sessionId} onChange={(e) => setSessionId(e.target.value)}>
            <option value="">Every session in the backup</option>
            {sessions.map((s) => <option key={s.id} value={s.id}>{s.name || s.id}</option>)}
          </select>
        </label>
      ) : (
        <p className="warning">Everything changed since this backup will be replaced. Cairn takes a safety backup of the current data first.</p>
      )}
    </ConfirmDialog>
  );
}

function Retention() {
  const { value } = useSettingsState();
  const retention = value?.backupRetention ?? null;
  // Remount the form when the stored values change, so the draft starts from them.
  return <RetentionForm key={retention ? `${retention.keepLast}/${retention.dailyDays}` : 'none'} initial={retention} />;
}

function RetentionForm({ initial }: { initial: { keepLast: number; dailyDays: number } | null }) {
  const { saveSettings } = useSettingsActions();
  const value = initial;
  const [keepLast, setKeepLast] = useState(initial ? String(initial.keepLast) : '');
  const [dailyDays, setDailyDays] = useState(initial ? String(initial.dailyDays) : '');
  const k = Number(keepLast);
  const d = Number(dailyDays);
  const valid = Number.isInteger(k) && k >= 1 && k <= 1000 && Number.isInteger(d) && d >= 0 && d <= 3650;
  return (
    <section className="card" aria-labelledby="retention-heading">
      <h2 id="retention-heading">Retention</h2>
      <form className="grid-2" onSubmit={(e) => { e.preventDefault(); if (valid) void saveSettings({ backupRetention: { keepLast: k, dailyDays: d } }, 'Retention'); }}>
        <label className="field"><span>Keep the last N backups</span><input type="number" min={1} max={1000} value={keepLast} onChange={(e) => setKeepLast(e.target.value)} /></label>
        <label className="field"><span>Also keep one per day for N days</span><input type="number" min={0} max={3650} value={dailyDays} onChange={(e) => setDailyDays(e.target.value)} /></label>
        {!valid && value ? <p className="field-error">Keep between 1 and 1000 backups, and 0 to 3650 days.</p> : null}
        <div className="actions"><button type="submit" className="btn" disabled={!valid || !value}>Save retention</button></div>
      </form>
    </section>
  );
}

export function BackupsView() {
  const { items, load, busy } = useBackups();
  const { loadBackups, createBackup, verifyBackup, pruneBackups } = useBackupsActions();
  const { loadSessions } = useSessionsActions();
  const { loadSettings } = useSettingsActions();
  const settingsLoad = useSettingsState().load;
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);

  useEffect(() => {
    void loadBackups();
    void loadSessions();
  }, [loadBackups, loadSessions]);
  useEffect(() => {
    if (settingsLoad.status === 'idle') void loadSettings();
  }, [settingsLoad.status, loadSettings]);

  return (
    <div className="view">
      <header className="view-header">
        <h1>Backups</h1>
        <div className="actions">
          <button type="button" className="btn" onClick={() => void pruneBackups()} disabled={busy !== null}>Remove old backups</button>
          <button type="button" className="btn btn-primary" onClick={() => void createBackup()} disabled={busy !== null}>{busy === 'create' ? 'Creating…' : 'Create backup now'}</button>
        </div>
      </header>
      <p className="muted">Backups are consistent snapshots of all sessions, verified after writing. Cairn also takes one before every rollback and restore.</p>
      {load.status === 'error' ? <ErrorPanel title="Backups could not be listed" error={load.error} onRetry={() => void loadBackups()} /> : null}
      {load.status === 'ready' && items.length === 0 ? <p className="empty" data-testid="backups-empty">No backups yet. Create one now.</p> : null}
      {items.length > 0 ? (
        <table className="table" aria-label="Backups" data-testid="backup-table">
          <thead><tr><th scope="col">Time</th><th scope="col">Size</th><th scope="col">Verified</th><th scope="col">Reason</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.id} data-testid="backup-row" data-backup-id={b.id}>
                <td>{formatTime(b.createdAt)}</td>
                <td>{formatBytes(b.sizeBytes)}</td>
                <td><span className={`badge badge-verify-${b.verified}`}>{VERIFIED[b.verified]}</span></td>
                <td>{b.reason}</td>
                <td>
                  <div className="cell-actions">
                    <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void verifyBackup(b.id)} aria-label={`Verify backup of ${formatTime(b.createdAt)}`}>{busy === b.id ? 'Working…' : 'Verify'}</button>
                    <button type="button" className="btn btn-small" disabled={busy !== null || b.verified === 'failed'} onClick={() => setRestoring(b)} aria-label={`Restore backup of ${formatTime(b.createdAt)}`}>Restore…</button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Retention />
      {restoring ? <RestoreDialog backup={restoring} onClose={() => setRestoring(null)} /> : null}
    </div>
  );
}
