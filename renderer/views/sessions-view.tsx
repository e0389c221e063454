import { memo, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../shared/domain.ts';
import { SessionStatusSchema } from '../../shared/domain.ts';
import { isAutoResumable } from '../../shared/session-state.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { statusLabel, StatusBadge } from '../components/status-badge.tsx';
import { useNow } from '../components/use-now.ts';
import { formatCost, formatRelative } from '../format.ts';
import { i18n } from '../i18n/i18n.ts';
import { compareNames, matchesQuery } from '../search.ts';
import { useNavigate, useSessionFiling, useSessionImport, useSessionsActions, useSessionsList, useTrash } from '../state/hooks.ts';
import type { StatusFilter } from '../state/sessions-slice.ts';

function matches(session: Session, query: string, filter: StatusFilter): boolean {
  if (filter !== 'all' && session.status !== filter) return false;
  // Diacritic-insensitive: 'hop dong' finds 'Hợp đồng'.
  return matchesQuery([session.name, session.config.task, session.config.provider.name], query);
}

type SortOrder = 'activity' | 'name';
const MENU_MARK = '⋯';

const SessionRow = memo(function SessionRow({ session, now }: { session: Session; now: number }) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  const { progress } = session;
  const pct = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <li className="session-row" data-testid="session-row" data-session-id={session.id} data-status={session.status}>
      <button type="button" className="session-open" onClick={() => navigate({ view: 'session', sessionId: session.id, tab: 'overview' })} aria-label={t('sessions.open', { name: session.name })}>
        <span className="session-name">{displayName(session)}</span>
        <span className="session-task">{session.config.task.slice(0, 140)}</span>
      </button>
      <StatusBadge session={session} />
      <span className="session-progress" aria-label={t('sessions.progressLabel')}>{t('sessions.progress', { done: progress.done, total: progress.total, pct })}</span>
      <span className="session-cost" aria-label={t('sessions.costLabel')}>{formatCost(session.usage.costUsd)}</span>
      <span className="session-activity" aria-label={t('sessions.activityLabel')}>{formatRelative(session.updatedAt, now)}</span>
      {session.config.provider.simulator ? <span className="badge badge-simulator">{t('status.simulator')}</span> : null}
      {session.archived ? <span className="badge">{t('sessions.archived')}</span> : null}
      <RowMenu session={session} />
    </li>
  );
});

const displayName = (s: Session) => s.name || i18n.t('sessions.untitled');

/** Rename, archive, move to the trash: each a button in a disclosure on the row. */
function RowMenu({ session }: { session: Session }) {
  const { renameSession, archiveSession, trashSession } = useSessionFiling();
  const [asking, setAsking] = useState<'rename' | 'trash' | null>(null);
  const [name, setName] = useState(session.name);
  const nameId = useId();
  const { t } = useTranslation();
  const label = displayName(session);
  return (
    <details className="row-menu">
      <summary className="btn btn-quiet"><span aria-hidden="true">{MENU_MARK}</span><span className="sr-only">{t('sessions.actionsFor', { name: label })}</span></summary>
      <div className="row-menu-items">
        <button type="button" className="btn btn-quiet" onClick={() => { setName(session.name); setAsking('rename'); }}>{t('sessions.rename')}</button>
        {session.archived
          ? <button type="button" className="btn btn-quiet" onClick={() => void archiveSession(session.id, false)}>{t('sessions.unarchive')}</button>
          : <button type="button" className="btn btn-quiet" onClick={() => void archiveSession(session.id, true)}>{t('sessions.archive')}</button>}
        <button type="button" className="btn btn-quiet" onClick={() => setAsking('trash')}>{t('sessions.moveToTrash')}</button>
      </div>
      {asking === 'rename' ? (
        <ConfirmDialog title={t('sessions.renameTitle')} confirmLabel={t('sessions.rename')} busy={name.trim() === ''} onCancel={() => setAsking(null)}
          onConfirm={() => { setAsking(null); void renameSession(session.id, name.trim()); }}>
          <label htmlFor={nameId}>{t('sessions.name')}</label>
          <input id={nameId} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </ConfirmDialog>
      ) : null}
      {asking === 'trash' ? (
        <ConfirmDialog title={t('sessions.trashTitle', { name: label })} confirmLabel={t('sessions.moveToTrash')} danger onCancel={() => setAsking(null)}
          onConfirm={() => { setAsking(null); void trashSession(session.id); }}>
          <p>{t('sessions.trashBody')}</p>
        </ConfirmDialog>
      ) : null}
    </details>
  );
}

/** What was moved to the trash: restore one, or delete all for good (after asking). */
function TrashPanel() {
  const trash = useTrash();
  const { loadTrash, restoreFromTrash, emptyTrash } = useSessionFiling();
  const [confirming, setConfirming] = useState(false);
  const { t } = useTranslation();
  useEffect(() => {
    void loadTrash();
  }, [loadTrash]);
  return (
    <section className="trash" aria-label={t('sessions.trash')}>
      <h2>{t('sessions.trash')}</h2>
      {trash === null ? <p className="muted" role="status">{t('sessions.trashLoading')}</p> : null}
      {trash !== null && trash.length === 0 ? <p className="muted">{t('sessions.trashEmpty')}</p> : null}
      {trash !== null && trash.length > 0 ? (
        <>
          <ul className="session-list">
            {trash.map((s) => (
              <li key={s.id} className="session-row">
                <span className="session-name">{displayName(s)}</span>
                <StatusBadge session={s} />
                <button type="button" className="btn" onClick={() => void restoreFromTrash(s.id)} aria-label={t('sessions.restoreOf', { name: displayName(s) })}>{t('sessions.restore')}</button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>{t('sessions.emptyTrash')}</button>
        </>
      ) : null}
      {confirming ? (
        <ConfirmDialog title={t('sessions.emptyTrashTitle')} confirmLabel={t('sessions.deleteForGood')} danger onCancel={() => setConfirming(false)}
          onConfirm={() => { setConfirming(false); void emptyTrash(); }}>
          <p>{t('sessions.emptyTrashBody', { count: trash?.length ?? 0 })}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

export function InterruptedBanner({ count, onResumeAll, onReview, onDismiss }: { count: number; onResumeAll(): void; onReview(): void; onDismiss(): void }) {
  const { t } = useTranslation();
  return (
    <section className="banner banner-warning" role="alert" aria-label={t('sessions.interruptedLabel')} data-testid="interrupted-banner">
      <p>
        <strong>{t('sessions.interruptedTitle', { count })}</strong> — {t('sessions.interruptedBody', { count })}
      </p>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={onResumeAll}>{t('sessions.resumeAll')}</button>
        <button type="button" className="btn" onClick={onReview}>{t('sessions.review')}</button>
        <button type="button" className="btn btn-quiet" onClick={onDismiss} aria-label={t('sessions.dismissInterrupted')}>{t('common.dismiss')}</button>
      </div>
    </section>
  );
}

/** The import found its session here already: the same choice the CLI offers (--skip, --keep-both). */
function ImportDuplicateDialog({ existing, onAnswer }: { existing: { id: string; name: string }; onAnswer(choice: 'skip' | 'keep-both' | null): void }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog title={t('sessions.importDuplicateTitle')} cancelLabel={t('sessions.importSkip')} confirmLabel={t('sessions.importKeepBoth')} onCancel={() => onAnswer('skip')} onConfirm={() => onAnswer('keep-both')}>
      <p>{t('sessions.importDuplicateBody', { name: existing.name || existing.id })}</p>
      <p className="muted">{t('sessions.importDuplicateHint')}</p>
    </ConfirmDialog>
  );
}

export function SessionsView() {
  const { items, load, query, filter, bannerDismissed, showArchived } = useSessionsList();
  const { setShowArchived } = useSessionFiling();
  const { loadSessions, setSessionQuery, setSessionFilter, resumeAll, dismissInterruptedBanner } = useSessionsActions();
  const navigate = useNavigate();
  const now = useNow(5_000);
  const [showTrash, setShowTrash] = useState(false);
  const { duplicate, importSession, answerImportDuplicate } = useSessionImport();
  const [order, setOrder] = useState<SortOrder>('activity');
  const { t } = useTranslation();

  useEffect(() => {
    void loadSessions();
  }, [loadSessions]);

  const visible = useMemo(() => {
    const shown = items.filter((s) => !s.trashed && matches(s, query, filter));
    if (order !== 'name') return shown;
    // `t` is bound to the interface language, which decides the untitled name and the names' order.
    const name = (x: Session) => x.name || t('sessions.untitled');
    return [...shown].sort((a, b) => compareNames(name(a), name(b)));
  }, [items, query, filter, order, t]);
  const interrupted = useMemo(() => items.filter((s) => isAutoResumable(s) && !s.trashed).length, [items]);

  return (
    <div className="view">
      <header className="view-header">
        <h1>{t('sessions.title')}</h1>
        <button type="button" className="btn" aria-pressed={showTrash} onClick={() => setShowTrash((v) => !v)}>{t('sessions.trash')}</button>
        <button type="button" className="btn" onClick={() => void importSession()}>{t('sessions.importSession')}</button>
        <button type="button" className="btn btn-primary" onClick={() => navigate({ view: 'new' })}>{t('sessions.newAnalysis')}</button>
      </header>

      {interrupted > 0 && !bannerDismissed ? (
        <InterruptedBanner count={interrupted} onResumeAll={() => void resumeAll()} onReview={() => setSessionFilter('interrupted')} onDismiss={dismissInterruptedBanner} />
      ) : null}

      <div className="toolbar" role="search">
        <label className="field-inline">
          <span>{t('sessions.search')}</span>
          <input type="search" value={query} onChange={(e) => setSessionQuery(e.target.value)} placeholder={t('sessions.searchPlaceholder')} />
        </label>
        <label className="field-inline">
          <span>{t('sessions.status')}</span>
          <select value={filter} onChange={(e) => setSessionFilter(e.target.value as StatusFilter)}>
            <option value="all">{t('sessions.all')}</option>
            {SessionStatusSchema.options.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
          </select>
        </label>
        <label className="field-inline">
          <span>{t('sessions.sort')}</span>
          <select value={order} onChange={(e) => setOrder(e.target.value === 'name' ? 'name' : 'activity')}>
            <option value="activity">{t('sessions.sortActivity')}</option>
            <option value="name">{t('sessions.sortName')}</option>
          </select>
        </label>
        <label className="field-inline">
          <input type="checkbox" checked={showArchived} onChange={(e) => void setShowArchived(e.target.checked)} />
          <span>{t('sessions.showArchived')}</span>
        </label>
      </div>

      {load.status === 'error' ? <ErrorPanel title={t('sessions.couldNotLoad')} error={load.error} onRetry={() => void loadSessions()} /> : null}
      {load.status === 'loading' && items.length === 0 ? <p className="muted" role="status">{t('sessions.loading')}</p> : null}

      {load.status === 'ready' && items.length === 0 ? (
        <section className="empty" data-testid="sessions-empty">
          <h2>{t('sessions.emptyTitle')}</h2>
          <p>{t('sessions.emptyBody')}</p>
          <button type="button" className="btn btn-primary" onClick={() => navigate({ view: 'new' })}>{t('sessions.start')}</button>
        </section>
      ) : null}

      {items.length > 0 && visible.length === 0 ? <p className="muted">{t('sessions.noMatch')}</p> : null}

      {visible.length > 0 ? (
        <ul className="session-list" aria-label={t('sessions.list')} data-testid="session-list">
          {visible.map((s) => <SessionRow key={s.id} session={s} now={now} />)}
        </ul>
      ) : null}

      {showTrash ? <TrashPanel /> : null}
      {duplicate ? <ImportDuplicateDialog existing={duplicate.existing} onAnswer={(choice) => void answerImportDuplicate(choice)} /> : null}
    </div>
  );
}
