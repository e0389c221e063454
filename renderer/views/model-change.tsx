import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../shared/domain.ts';
import { useDetailActions } from '../state/hooks.ts';

const MAX_MODEL = 200;

/**
 * Another model for a paused session: the passages already answered (and paid for) keep their
 * answers, the new model reads the rest and writes the report. To have a whole analysis
 * redone by another model, fork from the chunking checkpoint instead.
 */
export function ModelChange({ session }: { session: Session }) {
  const { updateSession } = useDetailActions();
  const current = session.config.provider.model;
  const [open, setOpen] = useState(false);
  const [model, setModel] = useState(current);
  const [working, setWorking] = useState(false);
  const { t } = useTranslation();
  const inputId = useId();
  const noteId = useId();
  const trimmed = model.trim();
  const error = trimmed === '' ? t('model.empty') : trimmed.length > MAX_MODEL ? t('model.tooLong', { max: MAX_MODEL }) : null;

  if (!open) {
    return <button type="button" className="btn btn-quiet btn-small" onClick={() => { setModel(current); setOpen(true); }}>{t('model.change')}</button>;
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (error || trimmed === current || working) return;
    setWorking(true);
    if (await updateSession(session.id, { model: trimmed })) setOpen(false);
    setWorking(false);
  };
  return (
    <form className="inline-form" aria-label={t('model.formLabel')} onSubmit={(e) => void submit(e)} data-testid="model-change">
      <div className="field">
        <label htmlFor={inputId}>{t('model.at', { provider: session.config.provider.name })}</label>
        <input id={inputId} value={model} onChange={(e) => setModel(e.target.value)} maxLength={MAX_MODEL + 20} aria-invalid={error !== null} aria-describedby={noteId} autoFocus />
        <span className={error ? 'field-error' : 'hint'} id={noteId}>
          {error ?? t('model.note')}
        </span>
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={error !== null || trimmed === current || working}>{t('model.use')}</button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
