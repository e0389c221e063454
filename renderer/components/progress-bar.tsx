import type { Progress, Usage } from '../../shared/domain.ts';
import { formatCost, formatDuration, formatTokens } from '../format.ts';

/** `live`: the run is going, so an ETA means something; a paused, finished or failed run has none. */
export function ProgressBar({ progress, usage, live, label = 'Analysis progress' }: { progress: Progress; usage: Usage; live: boolean; label?: string }) {
  const pct = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="progress" data-testid="progress">
      <div className="progress-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done} aria-valuetext={`${progress.done} of ${progress.total} steps`}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <dl className="figures">
        <div><dt>Steps</dt><dd>{progress.done} / {progress.total}{progress.failed > 0 ? ` (${progress.failed} failed)` : ''}</dd></div>
        <div><dt>Tokens</dt><dd>{formatTokens(usage.inputTokens)} in · {formatTokens(usage.outputTokens)} out{usage.estimated ? ' (estimated)' : ''}</dd></div>
        <div><dt>Cost</dt><dd>{formatCost(usage.costUsd)}</dd></div>
        <div><dt>ETA</dt><dd>{live ? formatDuration(progress.etaSeconds) : '—'}</dd></div>
      </dl>
    </div>
  );
}
