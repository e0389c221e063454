import { memo, useEffect, useId, useMemo, useState } from 'react';
import type { Session } from '../../shared/domain.ts';
import { SessionStatusSchema } from '../../shared/domain.ts';
import { isAutoResumable } from '../../shared/session-state.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { statusLabel, StatusBadge } from '../components/status-badge.tsx';
import { useNow } from '../components/use-now.ts';
import { formatCost, formatRelative } from '../format.ts';
import { useNavigate, useSessionFiling, useSessionImport, useSessionsActions, useSessionsList, useTrash } from '../state/hooks.ts';
import type { StatusFilter } from '../state/sessions-slice.ts';

function matches(session: Session, query: string, filter: StatusFilter): boolean {
  if (filter !== 'all' && session.status !== filter) return false;
  if (!query) return true;
  const q = query.toLowerCase();
  return session.name.toLowerCase().includes(q) || session.config.task.toLowerCase().includes(q) || session.config.provider.name.toLowerCase().includes(q);
}

const SessionRow = memo(function SessionRow({ session, now }: { session: Session; now: number }) {
  const navigate = useNavigate();
  const { progress } = session;
  const pct = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <li className="session-row" data-testid="session-row" data-session-id={session.id} data-status={session.status}>
      <button type="button" className="session-open" onClick={() => navigate({ view: 'session', sessionId: session.id, tab: 'overview' })} aria-label={`Open session ${session.name}`}>
        <span className="session-name">{session.name || 'Untitled analysis'}</span>
        <span className="session-task">{session.config.task.slice(0, 140)}</span>
      </button>
      <StatusBadge session={session} />
      <span className="session-progress" aria-label="Progress">{progress.done}/{progress.total} steps · {pct}%</span>
      <span className="session-cost" aria-label="Cost">{formatCost(session.usage.costUsd)}</span>
      <span className="session-activity" aria-label="Last activity">{formatRelative(session.updatedAt, now)}</span>
      {session.config.provider.simulator ? <span className="badge badge-simulator">Simulator</span> : null}
      {session.archived ? <span className="badge">Archived</span> : null}
      <RowMenu session={session} />
    </li>
  );
});

const displayName = (s: Session) => s.name || 'Untitled analysis';

/** Rename, archive, move to the trash: each a button in a disclosure on the row. */
function RowMenu({ session }: { session: Session }) {
  const { renameSession, archiveSession, trashSession } = useSessionFiling();
  const [asking, setAsking] = useState<'rename' | 'trash' | null>(null);
  const [name, setName] = useState(session.name);
  const nameId = useId();
  const label = displayName(session);
  return (
    <details className="row-menu">
      <summary className="btn btn-quiet"><span aria-hidden="true">⋯</span><span className="sr-only">Actions for {label}</span></summary>
      <div className="row-menu-items">
        <button type="button" className="btn btn-quiet" onClick={() => { setName(session.name); setAsking('rename'); }}>Rename</button>
        {session.archived
          ? <button type="button" className="btn btn-quiet" onClick={() => void archiveSession(session.id, false)}>Unarchive</button>
          : <button type="button" className="btn btn-quiet" onClick={() => void archiveSession(session.id, true)}>Archive</button>}
        <button type="button" className="btn btn-quiet" onClick={() => setAsking('trash')}>Move to trash</button>
      </div>
      {asking === 'rename' ? (
        <ConfirmDialog title="Rename session" confirmLabel="Rename" busy={name.trim() === ''} onCancel={() => setAsking(null)}
          onConfirm={() => { setAsking(null); void renameSession(session.id, name.trim()); }}>
          <label htmlFor={nameId}>Name</label>
          <input id={nameId} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </ConfirmDialog>
      ) : null}
      {asking === 'trash' ? (
        <ConfirmDialog title={`Move "${label}" to the trash?`} confirmLabel="Move to trash" danger onCancel={() => setAsking(null)}
          onConfirm={() => { setAsking(null); void trashSession(session.id); }}>
          <p>It leaves the list with its whole history. You can restore it from Trash until you empty the trash.</p>
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
  useEffect(() => {
    void loadTrash();
  }, [loadTrash]);
  return (
    <section className="trash" aria-label="Trash">
      <h2>Trash</h2>
      {trash === null ? <p className="muted" role="status">Loading the trash…</p> : null}
      {trash !== null && trash.length === 0 ? <p className="muted">The trash is empty.</p> : null}
      {trash !== null && trash.length > 0 ? (
        <>
          <ul className="session-list">
            {trash.map((s) => (
              <li key={s.id} className="session-row">
                <span className="session-name">{displayName(s)}</span>
                <StatusBadge session={s} />
                <button type="button" className="btn" onClick={() => void restoreFromTrash(s.id)} aria-label={`Restore ${displayName(s)}`}>Restore</button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>Empty trash</button>
        </>
      ) : null}
      {confirming ? (
        <ConfirmDialog title="Empty the trash?" confirmLabel="Delete for good" danger onCancel={() => setConfirming(false)}
          onConfirm={() => { setConfirming(false); void emptyTrash(); }}>
          <p>{trash?.length ?? 0} {(trash?.length ?? 0) === 1 ? 'session is' : 'sessions are'} deleted with their history. This cannot be undone; backups made before keep them.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

export function InterruptedBanner({ count, onResumeAll, onReview, onDismiss }: { count: number; onResumeAll(): void; onReview(): void; onDismiss(): void }) {
  return (
    <section className="banner banner-warning" role="alert" aria-label="Interrupted sessions" data-testid="interrupted-banner">
      <p>
        <strong>{count} {count === 1 ? 'session was' : 'sessions were'} interrupted</strong> — Cairn stopped before {count === 1 ? 'it' : 'they'} finished. Everything already checkpointed is kept.
      </p>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={onResumeAll}>Resume all</button>
        <button type="button" className="btn" onClick={onReview}>Review</button>
        <button type="button" className="btn btn-quiet" onClick={onDismiss} aria-label="Dismiss interrupted notice">Dismiss</button>
      </div>
    </section>
  );
}

/** The import found its session here already: the same choice the CLI offers (--skip, --keep-both). */
function ImportDuplicateDialog({ existing, onAnswer }: { existing: { id: string; name: string }; onAnswer(choice: 'skip' | 'keep-both' | null): void }) {
  return (
    <ConfirmDialog title="This session is already here" cancelLabel="Skip" confirmLabel="Keep both" onCancel={() => onAnswer('skip')} onConfirm={() => onAnswer('keep-both')}>
      <p>The file holds the same history as “{existing.name || existing.id}”, which is already in your sessions (imported before, or the session it was exported from).</p>
      <p className="muted">Skip leaves things as they are. Keep both adds a second copy, named “(imported)”.</p>
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

  useEffect(() => {
    void loadSessions();
  }, [loadSessions]);

  const visible = useMemo(() => items.filter((s) => !s.trashed && matches(s, query, filter)), [items, query, filter]);
  const interrupted = useMemo(() => items.filter((s) => isAutoResumable(s) && !s.trashed).length, [items]);

  return (
    <div className="view">
      <header className="view-header">
        <h1>Sessions</h1>
        <button type="button" className="btn" aria-pressed={showTrash} onClick={() => setShowTrash((v) => !v)}>Trash</button>
        <button type="button" className="btn" onClick={() => void importSession()}>Import session…</button>
        <button type="button" className="btn btn-primary" onClick={() => navigate({ view: 'new' })}>New analysis</button>
      </header>

      {interrupted > 0 && !bannerDismissed ? (
        <InterruptedBanner count={interrupted} onResumeAll={() => void resumeAll()} onReview={() => setSessionFilter('interrupted')} onDismiss={dismissInterruptedBanner} />
      ) : null}

      <div className="toolbar" role="search">
        <label className="field-inline">
          <span>Search sessions</span>
          <input type="search" value={query} onChange={(e) => setSessionQuery(e.target.value)} placeholder="Name, task or provider" />
        </label>
        <label className="field-inline">
          <span>Status</span>
          <select value={filter} onChange={(e) => setSessionFilter(e.target.value as StatusFilter)}>
            <option value="all">All</option>
            {SessionStatusSchema.options.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
          </select>
        </label>
        <label className="field-inline">
          <input type="checkbox" checked={showArchived} onChange={(e) => void setShowArchived(e.target.checked)} />
          <span>Show archived</span>
        </label>
      </div>

      {load.status === 'error' ? <ErrorPanel title="Sessions could not be loaded" error={load.error} onRetry={() => void loadSessions()} /> : null}
      {load.status === 'loading' && items.length === 0 ? <p className="muted" role="status">Loading sessions…</p> : null}

      {load.status === 'ready' && items.length === 0 ? (
        <section className="empty" data-testid="sessions-empty">
          <h2>No analyses yet</h2>
          <p>Start by adding documents and a task. Every step is checkpointed, so nothing you pay for is lost.</p>
          <button type="button" className="btn btn-primary" onClick={() => navigate({ view: 'new' })}>Start an analysis</button>
        </section>
      ) : null}

      {items.length > 0 && visible.length === 0 ? <p className="muted">No session matches this search.</p> : null}

      {visible.length > 0 ? (
        <ul className="session-list" aria-label="Sessions" data-testid="session-list">
          {visible.map((s) => <SessionRow key={s.id} session={s} now={now} />)}
        </ul>
      ) : null}

      {showTrash ? <TrashPanel /> : null}
      {duplicate ? <ImportDuplicateDialog existing={duplicate.existing} onAnswer={(choice) => void answerImportDuplicate(choice)} /> : null}
    </div>
  );
}
