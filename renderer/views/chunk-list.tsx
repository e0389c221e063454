import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChunkResult } from '../../shared/ipc/sessions.ts';
import { SafeMarkdown } from '../components/safe-markdown.tsx';

const STATUS_KEY: Record<ChunkResult['status'], string> = {
  pending: 'chunk.pending', running: 'status.running', done: 'status.done', failed: 'status.failed', interrupted: 'status.interrupted',
};

export const ChunkRow = memo(function ChunkRow({ chunk, open, highlighted, onToggle, onRetry }: {
  chunk: ChunkResult;
  open: boolean;
  highlighted: boolean;
  onToggle(index: number): void;
  onRetry(index: number): void;
}) {
  const { t } = useTranslation();
  return (
    <li id={`chunk-${chunk.index}`} tabIndex={-1} className={highlighted ? 'chunk chunk-highlight' : 'chunk'} data-testid="chunk-row" data-chunk-index={chunk.index}>
      <div className="chunk-head">
        <button type="button" className="chunk-toggle" aria-expanded={open} onClick={() => onToggle(chunk.index)}>
          <span>{t('chunk.title', { n: chunk.index + 1 })}</span>
          <span className="chunk-source">{chunk.source}</span>
        </button>
        <span className={`badge badge-chunk-${chunk.status}`}>{t(STATUS_KEY[chunk.status])}</span>
        {chunk.status === 'failed' || chunk.status === 'interrupted' ? (
          <button type="button" className="btn btn-small" onClick={() => onRetry(chunk.index)} aria-label={t('chunk.retryOf', { n: chunk.index + 1 })}>{t('chunk.retry')}</button>
        ) : null}
      </div>
      {chunk.error ? <p className="chunk-error">{chunk.error}</p> : null}
      {open && chunk.output ? <SafeMarkdown text={chunk.output} /> : null}
    </li>
  );
});
