import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useToasts, useUiActions } from '../state/hooks.ts';
import type { Toast } from '../state/ui-slice.ts';
import { HintAction } from './hint-action.tsx';

function ToastItem({ toast }: { toast: Toast }) {
  const { dismissToast } = useUiActions();
  const { t } = useTranslation();
  useEffect(() => {
    if (toast.timeoutMs === null) return;
    const id = setTimeout(() => dismissToast(toast.id), toast.timeoutMs);
    return () => clearTimeout(id);
  }, [toast.id, toast.timeoutMs, dismissToast]);
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid="toast">
      <p>{toast.message}</p>
      {toast.hint ? <p className="hint">{toast.hint}</p> : null}
      <div className="actions">
        {toast.action ? (
          <button type="button" className="btn btn-primary" onClick={() => { toast.action?.run(); dismissToast(toast.id); }}>{toast.action.label}</button>
        ) : null}
        <HintAction hint={toast.fixHint ?? toast.hint} onNavigate={() => dismissToast(toast.id)} />
      </div>
      <button type="button" className="btn btn-quiet toast-dismiss" aria-label={t('common.dismissNotification')} onClick={() => dismissToast(toast.id)}>×</button>
    </div>
  );
}

export function Toaster() {
  const toasts = useToasts();
  const { t } = useTranslation();
  return (
    <div className="toasts" aria-live="polite" aria-label={t('common.notifications')}>
      {toasts.map((t) => <ToastItem key={t.id} toast={t} />)}
    </div>
  );
}
