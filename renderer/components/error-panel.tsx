import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { reasonText } from '../i18n/reasons.ts';
import type { ErrorInfo } from '../state/app-store.ts';
import { HintAction } from './hint-action.tsx';

/** An error that says what happened and names the action that fixes it. */
export function ErrorPanel({ title, error, onRetry, children }: { title: string; error: ErrorInfo; onRetry?: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  const text = reasonText(error, t);
  return (
    <section className="panel panel-error" role="alert" aria-label={title} data-testid="error-panel">
      <h3>{title}</h3>
      <p>{text.message}</p>
      {text.hint ? <p className="hint">{text.hint}</p> : null}
      <div className="actions">
        <HintAction hint={error.hint} />
        {onRetry ? <button type="button" className="btn" onClick={onRetry}>{t('common.tryAgain')}</button> : null}
        {children}
      </div>
    </section>
  );
}
