import type { Session } from '../../shared/domain.ts';
import { needsAttention, normalizeSettledWait } from '../../shared/session-state.ts';
import { formatDuration, secondsUntil } from '../format.ts';
import { useNow } from './use-now.ts';

const LABELS: Record<Session['status'], string> = {
  created: 'Not started',
  running: 'Running',
  waiting: 'Waiting to retry',
  paused: 'Paused',
  interrupted: 'Interrupted',
  done: 'Done',
  failed: 'Failed',
  stopped: 'Stopped',
};

export function statusLabel(status: Session['status']): string {
  return LABELS[status];
}

/** Live "retrying in 12 s" text for a waiting session. */
export function RetryCountdown({ retryAt }: { retryAt: string | null }) {
  const now = useNow(1_000, retryAt !== null);
  if (!retryAt) return <span className="countdown">retrying soon</span>;
  const left = secondsUntil(retryAt, now);
  return (
    <span className="countdown" data-testid="retry-countdown" role="timer" aria-live="off">
      {left > 0 ? `retrying in ${formatDuration(left)}` : 'retrying now'}
    </span>
  );
}

export function StatusBadge({ session }: { session: Pick<Session, 'status' | 'reason' | 'retryAt'> }) {
  const { status, reason, retryAt } = normalizeSettledWait(session);
  return (
    <span className="status" data-testid="status-badge" data-status={status}>
      <span className={`badge badge-${status}`}>{LABELS[status]}</span>
      {status === 'waiting' ? <> <RetryCountdown retryAt={retryAt} /></> : null}
      {needsAttention(session) && status !== 'interrupted' && reason ? <span className="status-reason"> — {reason.message}</span> : null}
    </span>
  );
}

export function SimulatorLabel() {
  return <span className="badge badge-simulator" title="Answers come from Cairn's built-in simulator, not a real model">Simulator</span>;
}
