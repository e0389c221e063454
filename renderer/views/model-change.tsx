import { useId, useState, type FormEvent } from 'react';
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
  const inputId = useId();
  const noteId = useId();
  const trimmed = model.trim();
  const error = trimmed === '' ? 'Enter the model name the provider uses, for example gpt-4o-mini.' : trimmed.length > MAX_MODEL ? `A model name has at most ${MAX_MODEL} characters.` : null;

  if (!open) {
    return <button type="button" className="btn btn-quiet btn-small" onClick={() => { setModel(current); setOpen(true); }}>Change model…</button>;
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (error || trimmed === current || working) return;
    setWorking(true);
    if (await updateSession(session.id, { model: trimmed })) setOpen(false);
    setWorking(false);
  };
  return (
    <form className="inline-form" aria-label="Change model" onSubmit={(e) => void submit(e)} data-testid="model-change">
      <div className="field">
        <label htmlFor={inputId}>Model at {session.config.provider.name}</label>
        <input id={inputId} value={model} onChange={(e) => setModel(e.target.value)} maxLength={MAX_MODEL + 20} aria-invalid={error !== null} aria-describedby={noteId} autoFocus />
        <span className={error ? 'field-error' : 'hint'} id={noteId}>
          {error ?? 'Passages already answered keep their answers; the new model reads the rest and writes the report. Resume to start it.'}
        </span>
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={error !== null || trimmed === current || working}>Use this model</button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
