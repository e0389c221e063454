import { memo } from 'react';
import type { ChunkResult } from '../../shared/ipc/sessions.ts';
import { SafeMarkdown } from '../components/safe-markdown.tsx';

const STATUS_TEXT: Record<ChunkResult['status'], string> = {
  pending: 'Pending', running: 'Running', done: 'Done', failed: 'Failed', interrupted: 'Interrupted',
};

export const ChunkRow = memo(function ChunkRow({ chunk, open, highlighted, onToggle, onRetry }: {
  chunk: ChunkResult;
  open: boolean;
  highlighted: boolean;
  onToggle(index: number): void;
  onRetry(index: number): void;
}) {
  return (
    <li id={`chunk-${chunk.index}`} tabIndex={-1} className={highlighted ? 'chunk chunk-highlight' : 'chunk'} data-testid="chunk-row" data-chunk-index={chunk.index}>
      <div className="chunk-head">
        <button type="button" className="chunk-toggle" aria-expanded={open} onClick={() => onToggle(chunk.index)}>
          <span>Chunk {chunk.index + 1}</span>
          <span className="chunk-source">{chunk.source}</span>
        </button>
        <span className={`badge badge-chunk-${chunk.status}`}>{STATUS_TEXT[chunk.status]}</span>
        {chunk.status === 'failed' || chunk.status === 'interrupted' ? (
          <button type="button" className="btn btn-small" onClick={() => onRetry(chunk.index)} aria-label={`Retry chunk ${chunk.index + 1}`}>Retry</button>
        ) : null}
      </div>
      {chunk.error ? <p className="chunk-error">{chunk.error}</p> : null}
      {open && chunk.output ? <SafeMarkdown text={chunk.output} /> : null}
    </li>
  );
});
