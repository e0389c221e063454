import { useId, useState, type FormEvent } from 'react';
import type { Session } from '../../shared/domain.ts';
import { formatCost } from '../format.ts';
import { useDetailActions } from '../state/hooks.ts';
import { formatSpent, parseBudget, projectedCost, suggestBudget } from './budget-suggestion.ts';

/** A pause for budget is fixed here: a higher limit, then the run continues from its last checkpoint. */
export function BudgetRaise({ session }: { session: Session }) {
  const { updateSession, controlSession } = useDetailActions();
  const [text, setText] = useState(() => suggestBudget(session).toFixed(2));
  const [working, setWorking] = useState(false);
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
    <form className="inline-form" aria-label="Raise the budget" onSubmit={(e) => void submit(e)} data-testid="budget-raise">
      <p className="muted">
        Spent {formatSpent(spent)} of {session.config.budgetUsd === null ? 'no limit' : formatCost(session.config.budgetUsd)}.
        {projected !== null ? ` At the rate so far the whole analysis costs about ${formatCost(projected)}.` : ''}
      </p>
      <div className="field">
        <label htmlFor={inputId}>New budget (USD)</label>
        <input id={inputId} inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={!parsed.ok} aria-describedby={parsed.ok ? undefined : errorId} />
        {parsed.ok ? null : <span className="field-error" id={errorId}>{parsed.message}</span>}
      </div>
      <button type="submit" className="btn btn-primary" disabled={!parsed.ok || working}>{working ? 'Resuming…' : 'Raise budget and resume'}</button>
    </form>
  );
}
