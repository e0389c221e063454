import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupInfo } from '../../shared/domain.ts';
import type { BackupSession } from '../../shared/ipc/backups.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatBytes, formatTime } from '../format.ts';
import { useBackups, useBackupsActions, useSessionsActions, useSettingsActions, useSettingsState } from '../state/hooks.ts';

/** Catalog keys (backups.*) of the verification states and of where a backed-up session is now. */
const VERIFIED: Record<BackupInfo['verified'], string> = { ok: 'verifiedOk', failed: 'verifiedFailed', unverified: 'verifiedNot' };
const NOW_LABEL: Record<BackupSession['now'], string> = { here: 'nowHere', trash: 'nowTrash', gone: 'nowGone' };

/** The reasons the store takes backups for (electron/store/); any other reason shows as it was written. */
const WHY = new Set(['manual', 'before-restore', 'before-rollback', 'before-migration']);

/** The sessions inside the backup (read from the backup itself), with a checkbox each. */
function BackupContents({ items, chosen, onChosen }: { items: BackupSession[]; chosen: ReadonlySet<string>; onChosen(next: Set<string>): void }) {
  const { t } = useTranslation();
  if (items.length === 0) return <p className="empty" data-testid="backup-sessions-empty">{t('backups.holdsNone')}</p>;
  const all = items.every((i) => chosen.has(i.id));
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChosen(next);
  };
  return (
    <table className="table backup-sessions" aria-label={t('backups.sessionsInBackup')} data-testid="backup-sessions">
      <thead>
        <tr>
          <th scope="col" className="backup-pick"><input type="checkbox" aria-label={t('backups.chooseAll')} checked={all} onChange={() => onChosen(all ? new Set() : new Set(items.map((i) => i.id)))} /></th>
          <th scope="col">{t('backups.colSession')}</th><th scope="col">{t('backups.colStatus')}</th><th scope="col">{t('backups.colSteps')}</th><th scope="col">{t('backups.colActivity')}</th><th scope="col">{t('backups.colNow')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id} data-testid="backup-session" data-session-id={i.id} data-now={i.now}>
            <td className="backup-pick"><input type="checkbox" aria-label={t('backups.restoreOne', { name: i.name || i.id })} checked={chosen.has(i.id)} onChange={() => toggle(i.id)} /></td>
            <td>{i.name || i.id}{i.trashed ? <span className="muted"> {t('backups.wasInTrash')}</span> : null}</td>
            <td><StatusBadge session={{ status: i.status, reason: null, retryAt: null }} /></td>
            <td>{i.progress.total > 0 ? `${i.progress.done}/${i.progress.total}` : '—'}</td>
            <td>{formatTime(i.updatedAt)}</td>
            <td className={i.now === 'gone' ? 'backup-now-gone' : 'muted'}>{t(`backups.${NOW_LABEL[i.now]}`)}</td>
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
  const { t } = useTranslation();
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
  const label = mode === 'replace' || count === 0 ? t('backups.restore') : t('backups.restoreCount', { count });
  return (
    <ConfirmDialog
      title={t('backups.restoreTitle', { time: formatTime(backup.createdAt) })} confirmLabel={label} danger={mode === 'replace'} busy={busy} wide
      disabled={mode === 'new-session' && count === 0} onCancel={onClose} onConfirm={() => void confirm()}
    >
      <fieldset className="radio-group">
        <legend>{t('backups.howToRestore')}</legend>
        <label><input type="radio" name="restore-mode" checked={mode === 'new-session'} onChange={() => setMode('new-session')} /> {t('backups.modeNewSession')}</label>
        <label><input type="radio" name="restore-mode" checked={mode === 'replace'} onChange={() => setMode('replace')} /> {t('backups.modeReplace')}</label>
      </fieldset>
      {mode === 'replace' ? (
        <p className="warning">{t('backups.replaceWarning')}</p>
      ) : load.status === 'error' ? (
        <ErrorPanel title={t('backups.contentsFailed')} error={load.error} onRetry={() => void loadBackupContents(backup.id)} />
      ) : load.status !== 'ready' ? (
        <p className="muted" role="status">{t('backups.reading')}</p>
      ) : (
        <>
          <p className="muted">{t('backups.contentsIntro')}</p>
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
  const { t } = useTranslation();
  const value = initial;
  const [keepLast, setKeepLast] = useState(initial ? String(initial.keepLast) : '');
  const [dailyDays, setDailyDays] = useState(initial ? String(initial.dailyDays) : '');
  const k = Number(keepLast);
  const d = Number(dailyDays);
  const valid = Number.isInteger(k) && k >= 1 && k <= 1000 && Number.isInteger(d) && d >= 0 && d <= 3650;
  return (
    <section className="card" aria-labelledby="retention-heading">
      <h2 id="retention-heading">{t('backups.retention')}</h2>
      <form className="grid-2" onSubmit={(e) => { e.preventDefault(); if (valid) void saveSettings({ backupRetention: { keepLast: k, dailyDays: d } }, t('backups.whatRetention')); }}>
        <label className="field"><span>{t('backups.keepLast')}</span><input type="number" min={1} max={1000} value={keepLast} onChange={(e) => setKeepLast(e.target.value)} /></label>
        <label className="field"><span>{t('backups.dailyDays')}</span><input type="number" min={0} max={3650} value={dailyDays} onChange={(e) => setDailyDays(e.target.value)} /></label>
        {!valid && value ? <p className="field-error">{t('backups.retentionInvalid')}</p> : null}
        <div className="actions"><button type="submit" className="btn" disabled={!valid || !value}>{t('backups.saveRetention')}</button></div>
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
  const { t } = useTranslation();

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
        <h1>{t('backups.title')}</h1>
        <div className="actions">
          <button type="button" className="btn" onClick={() => void pruneBackups()} disabled={busy !== null}>{t('backups.prune')}</button>
          <button type="button" className="btn btn-primary" onClick={() => void createBackup()} disabled={busy !== null}>{busy === 'create' ? t('backups.creating') : t('backups.create')}</button>
        </div>
      </header>
      <p className="muted">{t('backups.intro')}</p>
      {load.status === 'error' ? <ErrorPanel title={t('backups.listFailed')} error={load.error} onRetry={() => void loadBackups()} /> : null}
      {load.status === 'ready' && items.length === 0 ? <p className="empty" data-testid="backups-empty">{t('backups.none')}</p> : null}
      {items.length > 0 ? (
        <table className="table" aria-label={t('backups.table')} data-testid="backup-table">
          <thead><tr><th scope="col">{t('backups.colTime')}</th><th scope="col">{t('backups.colSize')}</th><th scope="col">{t('backups.colVerified')}</th><th scope="col">{t('backups.colReason')}</th><th scope="col"><span className="sr-only">{t('backups.colActions')}</span></th></tr></thead>
          <tbody>
            {items.map((b) => (
              <tr key={b.id} data-testid="backup-row" data-backup-id={b.id}>
                <td>{formatTime(b.createdAt)}</td>
                <td>{formatBytes(b.sizeBytes)}</td>
                <td><span className={`badge badge-verify-${b.verified}`}>{t(`backups.${VERIFIED[b.verified]}`)}</span></td>
                <td>{WHY.has(b.reason) ? t(`backups.why.${b.reason}`) : b.reason}</td>
                <td>
                  <div className="cell-actions">
                    <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void verifyBackup(b.id)} aria-label={t('backups.verifyOf', { time: formatTime(b.createdAt) })}>{busy === b.id ? t('backups.working') : t('backups.verify')}</button>
                    <button type="button" className="btn btn-small" disabled={busy !== null || b.verified === 'failed'} onClick={() => setRestoring(b)} aria-label={t('backups.restoreOf', { time: formatTime(b.createdAt) })}>{t('backups.restoreEllipsis')}</button>
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
