import { useTranslation } from 'react-i18next';
import type { Session } from '../../shared/domain.ts';
import { needsAttention, normalizeSettledWait } from '../../shared/session-state.ts';
import { formatDuration, secondsUntil } from '../format.ts';
import { i18n } from '../i18n/i18n.ts';
import { reasonText } from '../i18n/reasons.ts';
import { useNow } from './use-now.ts';

/** The status in the interface's language (catalog keys status.<status>). */
export function statusLabel(status: Session['status']): string {
  return i18n.t(`status.${status}`);
}

/** Live "retrying in 12 s" text for a waiting session. */
export function RetryCountdown({ retryAt }: { retryAt: string | null }) {
  const now = useNow(1_000, retryAt !== null);
  const { t } = useTranslation();
  if (!retryAt) return <span className="countdown">{t('status.retryingSoon')}</span>;
  const left = secondsUntil(retryAt, now);
  return (
    <span className="countdown" data-testid="retry-countdown" role="timer" aria-live="off">
      {left > 0 ? t('status.retryingIn', { time: formatDuration(left) }) : t('status.retryingNow')}
    </span>
  );
}

export function StatusBadge({ session }: { session: Pick<Session, 'status' | 'reason' | 'retryAt'> }) {
  const { status, reason, retryAt } = normalizeSettledWait(session);
  const { t } = useTranslation();
  return (
    <span className="status" data-testid="status-badge" data-status={status}>
      <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>
      {status === 'waiting' ? <> <RetryCountdown retryAt={retryAt} /></> : null}
      {needsAttention(session) && status !== 'interrupted' && reason ? <span className="status-reason"> — {reasonText(reason, t).message}</span> : null}
    </span>
  );
}

export function SimulatorLabel() {
  const { t } = useTranslation();
  return <span className="badge badge-simulator" title={t('status.simulatorTitle')}>{t('status.simulator')}</span>;
}
