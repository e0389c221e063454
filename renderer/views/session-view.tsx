import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../shared/domain.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { reasonText } from '../i18n/reasons.ts';
import { linkCitations, SafeMarkdown } from '../components/safe-markdown.tsx';
import { RetryCountdown, SimulatorLabel, StatusBadge } from '../components/status-badge.tsx';
import { providerLimitText } from '../../shared/provider-limits.ts';
import { useDetail, useDetailActions, useNavigate, useProviderLimits } from '../state/hooks.ts';
import type { SessionTab } from '../state/ui-slice.ts';
import { BudgetRaise } from './budget-raise.tsx';
import { ChunkRow } from './chunk-list.tsx';
import { ExportBar } from './export-bar.tsx';
import { FollowUp } from './follow-up.tsx';
import { LiveOutput } from './live-output.tsx';
import { ModelChange } from './model-change.tsx';
import { isBudgetPause, pauseTitle } from './pause-title.ts';
import { canEditSettings, canPause, canResume, canStart, canStop, isActive, normalizeSettledWait, PAUSED_ON_REQUEST, ROLLED_BACK } from '../../shared/session-state.ts';
import { TimelineView } from './timeline-view.tsx';

function Controls({ session }: { session: Session }) {
  const { controlSession } = useDetailActions();
  const [confirmStop, setConfirmStop] = useState(false);
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();
  const run = async (action: 'start' | 'pause' | 'resume' | 'stop') => {
    setBusy(true);
    await controlSession(session.id, action);
    setBusy(false);
  };
  const resumable = canResume(session);
  return (
    <div className="actions" aria-label={t('session.controls')} role="group">
      {canStart(session) ? <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run('start')}>{t('session.start')}</button> : null}
      {canPause(session) ? <button type="button" className="btn" disabled={busy} onClick={() => void run('pause')}>{t('session.pause')}</button> : null}
      {resumable ? <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run('resume')}>{t('session.resume')}</button> : null}
      {canStop(session) && session.status !== 'created' ? <button type="button" className="btn btn-danger-outline" disabled={busy} onClick={() => setConfirmStop(true)}>{t('session.stop')}</button> : null}
      {confirmStop ? (
        <ConfirmDialog title={t('session.stopTitle')} confirmLabel={t('session.stopConfirm')} danger onCancel={() => setConfirmStop(false)} onConfirm={() => { setConfirmStop(false); void run('stop'); }}>
          <p>{t('session.stopBody')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** What the session's state asks of the user, with the action that fixes it. */
function StatusPanel({ session: given, simulator }: { session: Session; simulator: boolean }) {
  const { controlSession } = useDetailActions();
  // A wait with no retry time is no wait: it reads as paused with its reason.
  const session = normalizeSettledWait(given);
  const { t } = useTranslation();
  const reason = session.reason ? reasonText(session.reason, t) : null;
  // The built-in simulator serves one model; a session mid-run reads its model only when it starts.
  const modelChange = !simulator && canEditSettings(session) && (session.status === 'paused' || session.status === 'interrupted') ? <ModelChange key={session.id} session={session} /> : null;
  if (session.status === 'waiting') {
    return (
      <section className="banner banner-info" role="status" aria-label={t('session.waitingLabel')} data-testid="waiting-panel">
        <p><strong>{t('session.waiting')}</strong> — <RetryCountdown retryAt={session.retryAt} />.{reason ? ` ${reason.message}` : ''}</p>
        {reason?.hint ? <p className="hint">{reason.hint}</p> : null}
      </section>
    );
  }
  if (session.status === 'interrupted') {
    return (
      <section className="banner banner-warning" role="alert" aria-label={t('session.interruptedLabel')} data-testid="interrupted-panel">
        <p><strong>{t('session.interruptedTitle')}</strong> {t('session.interruptedBody')}</p>
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => void controlSession(session.id, 'resume')}>{t('session.resume')}</button>
          {modelChange}
        </div>
      </section>
    );
  }
  if (session.status === 'stopped') {
    return (
      <section className="banner banner-info" role="status" aria-label={t('session.stoppedLabel')} data-testid="stopped-panel">
        <p><strong>{t('session.stoppedTitle')}</strong> {reason?.message ?? t('session.stoppedDefault')} {reason?.hint ?? ''}</p>
      </section>
    );
  }
  if (session.status === 'paused' && session.reason?.code === ROLLED_BACK && reason) {
    return (
      <section className="banner banner-info" role="status" aria-label={t('session.rolledBackLabel')} data-testid="rolled-back-panel">
        <p><strong>{t('session.rolledBackTitle')}</strong> {reason.message}</p>
        {reason.hint ? <p className="hint">{reason.hint}</p> : null}
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => void controlSession(session.id, 'resume')}>{t('session.resume')}</button>
          {modelChange}
        </div>
      </section>
    );
  }
  if (session.status === 'paused' && session.reason?.code === PAUSED_ON_REQUEST && reason) {
    return (
      <section className="banner banner-info" role="status" aria-label={t('session.pausedByYouLabel')} data-testid="paused-panel">
        <p><strong>{t('session.pausedByYouTitle')}</strong> {reason.message} {t('session.resumeWhenReady')}</p>
        {modelChange}
      </section>
    );
  }
  if ((session.status === 'paused' || session.status === 'failed') && session.reason) {
    const title = session.status === 'paused' ? t('session.pausedTitle', { why: pauseTitle(session.reason.code) }) : t('session.failedTitle');
    return (
      <ErrorPanel title={title} error={session.reason}>
        {isBudgetPause(session) ? <BudgetRaise key={session.id} session={session} /> : null}
        {modelChange}
      </ErrorPanel>
    );
  }
  if (session.status === 'paused') {
    return <section className="banner banner-info" role="status" aria-label={t('session.pausedLabel')} data-testid="paused-panel"><p>{t('session.paused')}</p>{modelChange}</section>;
  }
  return null;
}

function Overview({ sessionId }: { sessionId: string }) {
  const { data } = useDetail();
  const { retryChunk } = useDetailActions();
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const [highlight, setHighlight] = useState<number | null>(null);
  const { t } = useTranslation();

  const toggle = useCallback((index: number) => {
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(index)) next.delete(index);
      else next.add(index);
      return next;
    });
  }, []);
  const retry = useCallback((index: number) => void retryChunk(sessionId, index), [retryChunk, sessionId]);
  const jumpToChunk = useCallback((index: number) => {
    setOpen((prev) => new Set(prev).add(index));
    setHighlight(index);
    requestAnimationFrame(() => {
      const el = document.getElementById(`chunk-${index}`);
      el?.scrollIntoView?.({ block: 'center' });
      el?.focus();
    });
  }, []);

  if (!data) return null;
  const { session, chunks, report, citations, conversation } = data;
  return (
    <>
      <StatusPanel session={session} simulator={data.simulator || session.config.provider.simulator} />
      <section className="card" aria-label={t('session.progress')}>
        <ProgressBar progress={session.progress} usage={session.usage} live={isActive(session)} />
        {isActive(session) ? <ProviderLimitLine sessionId={session.id} /> : null}
      </section>
      <LiveOutput sessionId={session.id} />
      {report ? (
        <section className="card" aria-labelledby="report-heading" data-testid="report">
          <h2 id="report-heading">{t('session.report')}</h2>
          <SafeMarkdown text={linkCitations(report, citations)} onCitation={jumpToChunk} />
        </section>
      ) : null}
      {chunks.length > 0 ? (
        <section className="card" aria-labelledby="chunks-heading">
          <h2 id="chunks-heading">{t('session.chunks')}</h2>
          <ul className="chunk-list" aria-label={t('session.chunkResults')}>
            {chunks.map((c) => <ChunkRow key={c.index} chunk={c} open={open.has(c.index)} highlighted={highlight === c.index} onToggle={toggle} onRetry={retry} />)}
          </ul>
        </section>
      ) : null}
      <FollowUp session={session} conversation={conversation} hasReport={report !== null} />
    </>
  );
}

export function SessionView({ sessionId, tab }: { sessionId: string; tab: SessionTab }) {
  const { data, load, sessionId: loadedId } = useDetail();
  const { loadDetail } = useDetailActions();
  const navigate = useNavigate();
  const { t } = useTranslation();

  useEffect(() => {
    void loadDetail(sessionId);
  }, [sessionId, loadDetail]);

  const session = loadedId === sessionId ? data?.session : undefined;
  const setTab = (to: SessionTab) => navigate({ view: 'session', sessionId, tab: to });

  return (
    <div className="view">
      <nav aria-label={t('session.breadcrumb')} className="breadcrumb">
        <button type="button" className="btn btn-quiet" onClick={() => navigate({ view: 'sessions' })}>{t('session.back')}</button>
      </nav>
      {load.status === 'error' && !session ? <ErrorPanel title={t('session.couldNotOpen')} error={load.error} onRetry={() => void loadDetail(sessionId)} /> : null}
      {load.status === 'loading' && !session ? <p className="muted" role="status">{t('session.loading')}</p> : null}
      {session && data ? (
        <>
          <header className="view-header">
            <div>
              <h1>{session.name || t('sessions.untitled')}</h1>
              <p className="subtitle">
                <StatusBadge session={session} /> · {session.config.provider.name} / {session.config.provider.model}{' '}
                {data.simulator || session.config.provider.simulator ? <SimulatorLabel /> : null}
              </p>
            </div>
            <Controls session={session} />
          </header>
          <div className="tabs" role="tablist" aria-label={t('session.views')}>
            <button type="button" role="tab" id="tab-overview" aria-selected={tab === 'overview'} aria-controls="panel-session" onClick={() => setTab('overview')}>{t('session.overview')}</button>
            <button type="button" role="tab" id="tab-timeline" aria-selected={tab === 'timeline'} aria-controls="panel-session" onClick={() => setTab('timeline')}>{t('session.timeline')}</button>
          </div>
          <div id="panel-session" className="session-panel" role="tabpanel" aria-labelledby={tab === 'overview' ? 'tab-overview' : 'tab-timeline'}>
            {tab === 'overview' ? <Overview sessionId={sessionId} /> : <TimelineView session={session} />}
          </div>
          {tab === 'overview' ? <ExportBar sessionId={sessionId} report={data.report} /> : null}
        </>
      ) : null}
    </div>
  );
}

/** "limited by the provider: 60 requests/min", while the run goes at the provider's pace. */
function ProviderLimitLine({ sessionId }: { sessionId: string }) {
  const limits = useProviderLimits(sessionId);
  const text = limits ? providerLimitText(limits) : null;
  return text ? <p className="muted" data-testid="provider-limits">{text}</p> : null;
}
