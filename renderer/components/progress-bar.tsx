import { useTranslation } from 'react-i18next';
import type { Progress, Usage } from '../../shared/domain.ts';
import { formatCost, formatDuration, formatTokens } from '../format.ts';

/** `live`: the run is going, so an ETA means something; a paused, finished or failed run has none. */
export function ProgressBar({ progress, usage, live, label }: { progress: Progress; usage: Usage; live: boolean; label?: string }) {
  const { t } = useTranslation();
  const pct = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="progress" data-testid="progress">
      <div className="progress-track" role="progressbar" aria-label={label ?? t('progress.label')} aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done} aria-valuetext={t('progress.valueText', { done: progress.done, total: progress.total })}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <dl className="figures">
        <div><dt>{t('progress.steps')}</dt><dd>{progress.done} / {progress.total}{progress.failed > 0 ? t('progress.failed', { count: progress.failed }) : ''}</dd></div>
        <div><dt>{t('progress.tokens')}</dt><dd>{t('progress.inOut', { input: formatTokens(usage.inputTokens), output: formatTokens(usage.outputTokens) })}{usage.estimated ? t('progress.estimated') : ''}</dd></div>
        <div><dt>{t('progress.cost')}</dt><dd>{formatCost(usage.costUsd)}</dd></div>
        <div><dt>{t('progress.eta')}</dt><dd>{live ? formatDuration(progress.etaSeconds) : '—'}</dd></div>
      </dl>
    </div>
  );
}
