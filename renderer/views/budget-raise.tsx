import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../shared/domain.ts';
import { formatCost } from '../format.ts';
import { useDetailActions } from '../state/hooks.ts';
import { formatSpent, parseBudget, projectedCost, suggestBudget } from './budget-suggestion.ts';

/** A pause for budget is fixed here: a higher limit, then the run continues from its last checkpoint. */
export function BudgetRaise({ session }: { session: Session }) {
  const { updateSession, controlSession } = useDetailActions();
  const [text, setText] = useState(() => suggestBudget(session).toFixed(2));
  const [working, setWorking] = useState(false);
  const { t } = useTranslation();
  const inputId = useId();
  const errorId = useId();
  const spent = session.usage.costUsd;
  const parsed = parseBudget(text, spent);
  const projected = projectedCost(session);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.ok || working) return;
    setWorking(true);
    if (await updateSession(session.id, { budgetUsd: parsed.usd })) await controlSession(session.id, 'resume');
    setWorking(false);
  };

  return (
    <form className="inline-form" aria-label={t('budget.formLabel')} onSubmit={(e) => void submit(e)} data-testid="budget-raise">
      <p className="muted">
        {t('budget.spent', { spent: formatSpent(spent), limit: session.config.budgetUsd === null ? t('budget.noLimit') : formatCost(session.config.budgetUsd) })}
        {projected !== null ? t('budget.projected', { cost: formatCost(projected) }) : ''}
      </p>
      <div className="field">
        <label htmlFor={inputId}>{t('budget.newBudget')}</label>
        <input id={inputId} inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={!parsed.ok} aria-describedby={parsed.ok ? undefined : errorId} />
        {parsed.ok ? null : <span className="field-error" id={errorId}>{parsed.message}</span>}
      </div>
      <button type="submit" className="btn btn-primary" disabled={!parsed.ok || working}>{working ? t('budget.resuming') : t('budget.raise')}</button>
    </form>
  );
}
