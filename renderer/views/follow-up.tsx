import { memo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../shared/domain.ts';
import type { SessionDetail } from '../../shared/ipc/sessions.ts';
import { SafeMarkdown } from '../components/safe-markdown.tsx';
import { useDetailActions } from '../state/hooks.ts';

type Turn = SessionDetail['conversation'][number];

const TurnRow = memo(function TurnRow({ turn }: { turn: Turn }) {
  const { t } = useTranslation();
  return (
    <li className={`turn turn-${turn.role}`} data-testid="turn">
      <span className="turn-role">{turn.role === 'user' ? t('followUp.youAsked') : t('followUp.answer')}</span>
      {turn.role === 'user' ? <p>{turn.text}</p> : <SafeMarkdown text={turn.text} />}
    </li>
  );
});

export function FollowUp({ session, conversation, hasReport }: { session: Session; conversation: Turn[]; hasReport: boolean }) {
  const { ask } = useDetailActions();
  const [question, setQuestion] = useState('');
  const [asking, setAsking] = useState(false);
  const { t } = useTranslation();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const q = question.trim();
    if (!q) return;
    setAsking(true);
    if (await ask(session.id, q)) setQuestion('');
    setAsking(false);
  };
  return (
    <section className="card" aria-labelledby="followup-heading">
      <h2 id="followup-heading">{t('followUp.heading')}</h2>
      {conversation.length > 0 ? <ol className="conversation" aria-label={t('followUp.conversation')}>{conversation.map((turn, i) => <TurnRow key={i} turn={turn} />)}</ol> : null}
      {hasReport ? (
        <form onSubmit={(e) => void submit(e)} className="followup-form">
          <label className="field">
            <span>{t('followUp.question')}</span>
            <textarea rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} maxLength={20_000} />
          </label>
          <button type="submit" className="btn btn-primary" disabled={asking || !question.trim()}>{asking ? t('followUp.asking') : t('followUp.ask')}</button>
        </form>
      ) : (
        <p className="muted">{t('followUp.notYet')}</p>
      )}
    </section>
  );
}
