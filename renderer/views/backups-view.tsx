import { useEffect, useState } from 'react';
import type { BackupInfo } from '../../shared/domain.ts';
import type { BackupSession } from '../../shared/ipc/backups.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatBytes, formatTime } from '../format.ts';
import { useBackups, useBackupsActions, useSessionsActions, useSettingsActions, useSettingsState } from '../state/hooks.ts';

const VERIFIED: Record<BackupInfo['verified'], string> = { ok: 'Verified', failed: 'Damaged', unverified: 'Not verified' };

const NOW_LABEL: Record<BackupSession['now'], string> = { here: 'Also here now', trash: 'In the trash now', gone: 'Deleted since' };

/** The sessions inside the backup (read from the backup itself), with a checkbox each. */
function BackupContents({ items, chosen, onChosen }: { items: BackupSession[]; chosen: ReadonlySet<string>; onChosen(next: Set<string>): void }) {
  if (items.length === 0) return <p className="empty" data-testid="backup-sessions-empty">This backup holds no sessions.</p>;
  const all = items.every((i) => chosen.has(i.id));
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChosen(next);
  };
  return (
    <table className="table backup-sessions" aria-label="Sessions in this backup" data-testid="backup-sessions">
      <thead>
        <tr>
          <th scope="col" className="backup-pick"><input type="checkbox" aria-label="Choose every session in the backup" checked={all} onChange={() => onChosen(all ? new Set() : new Set(items.map((i) => i.id)))} /></th>
          <th scope="col">Session</th><th scope="col">Status</th><th scope="col">Steps</th><th scope="col">Last activity</th><th scope="col">Now</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id} data-testid="backup-session" data-session-id={i.id} data-now={i.now}>
            <td className="backup-pick"><input type="checkbox" aria-label={`Restore ${i.name || i.id}`} checked={chosen.has(i.id)} onChange={() => toggle(i.id)} /></td>
            <td>{i.name || i.id}{i.trashed ? <span className="muted"> (was in the trash)</span> : null}</td>
            <td><StatusBadge session={{ status: i.status, reason: null, retryAt: null }} /></td>
            <td>{i.progress.total > 0 ? `${i.progress.done}/${i.progress.total}` : '—'}</td>
            <td>{formatTime(i.updatedAt)}</td>
            <td className={i.now === 'gone' ? 'backup-now-gone' : 'muted'}>{NOW_LABEL[i.now]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RestoreDialog({ backup, onClose }: { backup: BackupInfo; onClose(): void }) {
  const { restoreBackup, loadBackupContents } = useBackupsActions();
  const { contents } = useBackups();
  const [mode, setMode] = useState<'replace' | 'new-session'>('new-session');
  // Null until the user changes the choice: then what was deleted since the backup, which is what a restore is usually for.
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void loadBackupContents(backup.id);
  }, [backup.id, loadBackupContents]);
  const mine = contents.backupId === backup.id;
  const load = mine ? contents.load : { status: 'loading' as const };
  const items = mine ? contents.items : [];
  const chosen = picked ?? new Set(items.filter((i) => i.now === 'gone').map((i) => i.id));
  const confirm = async () => {
    setBusy(true);
    const ok = await restoreBackup(backup.id, mode, mode === 'new-session' ? [...chosen] : undefined);
    setBusy(false);
    if (ok) onClose();
  };
  const count = chosen.size;
  const label = mode === 'replace' || count === 0 ? 'Restore' : `Restore ${count} ${count === 1 ? 'session' : 'sessions'}`;
  return (
    <ConfirmDialog
      title={`Restore the backup of ${formatTime(backup.createdAt)}?`} confirmLabel={label} danger={mode === 'replace'} busy={busy} wide
      disabled={mode === 'new-session' && count === 0} onCancel={onClose} onConfirm={() => void confirm()}
    >
      <fieldset className="radio-group">
        <legend>How to restore</legend>
        <label><input type="radio" name="restore-mode" checked={mode === 'new-session'} onChange={() => setMode('new-session')} /> The sessions chosen below, as new sessions next to the current data</label>
        <label><input type="radio" name="restore-mode" checked={mode === 'replace'} onChange={() => setMode('replace')} /> Replace all current data with the backup</label>
      </fieldset>
      {mode === 'replace' ? (
        <p className="warning">Everything changed since this backup will be replaced. Cairn takes a safety backup of the current data first.</p>
      ) : load.status === 'error' ? (
        <ErrorPanel title="The backup's sessions could not be read" error={load.error} onRetry={() => void loadBackupContents(backup.id)} />
      ) : load.status !== 'ready' ? (
        <p className="muted" role="status">Reading the backup…</p>
      ) : (
        <>
          <p className="muted">What this backup holds, as it was then. Each session chosen comes back as a new one, with the status it had.</p>
          <BackupContents items={items} chosen={chosen} onChosen={setPicked} />
        </>
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
