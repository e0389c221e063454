import type { ReactNode } from 'react';
import type { ErrorInfo } from '../state/app-store.ts';
import { HintAction } from './hint-action.tsx';

/** An error that says what happened and names the action that fixes it. */
export function ErrorPanel({ title, error, onRetry, children }: { title: string; error: ErrorInfo; onRetry?: () => void; children?: ReactNode }) {
  return (
    <section className="panel panel-error" role="alert" aria-label={title} data-testid="error-panel">
      <h3>{title}</h3>
      <p>{error.message}</p>
      {error.hint ? <p className="hint">{error.hint}</p> : null}
      <div className="actions">
        <HintAction hint={error.hint} />
        {onRetry ? <button type="button" className="btn" onClick={onRetry}>Try again</button> : null}
        {children}
      </div>
    </section>
  );
}
