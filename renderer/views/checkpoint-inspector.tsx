import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session, TimelineRow } from '../../shared/domain.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { PassageList, parsePassages } from '../components/passage-list.tsx';
import { SafeMarkdown } from '../components/safe-markdown.tsx';
import { canFork, canRollback } from '../../shared/session-state.ts';
import { formatCost, formatTime, formatTokens } from '../format.ts';
import { useInspection, useTimelineActions } from '../state/hooks.ts';

export function CheckpointInspector({ session, row }: { session: Session; row: TimelineRow | undefined }) {
  const inspection = useInspection();
  const { rollbackTo, forkFrom } = useTimelineActions();
  const [dialog, setDialog] = useState<'rollback' | 'fork' | null>(null);
  const [busy, setBusy] = useState(false);
  const [forkTask, setForkTask] = useState(session.config.task);
  const [forkName, setForkName] = useState('');
  const { t } = useTranslation();

  if (!row) {
    return (
      <aside className="card inspector" aria-label={t('inspector.label')}>
        <p className="muted">{t('inspector.select')}</p>
      </aside>
    );
  }
  const cp = row.checkpoint;
  const data = inspection.data && inspection.data.checkpoint.id === cp.id ? inspection.data : null;
  const hidden = data?.hiddenByRollback ?? 0;

  const doRollback = async () => {
    setBusy(true);
    await rollbackTo(cp.id);
    setBusy(false);
    setDialog(null);
  };
  const doFork = async () => {
    setBusy(true);
    const task = forkTask.trim();
    const ok = await forkFrom(cp.id, task && task !== session.config.task ? task : undefined, forkName.trim() || undefined);
    setBusy(false);
    if (ok) setDialog(null);
  };

  return (
    <aside className="card inspector" aria-label={t('inspector.label')} data-testid="checkpoint-inspector">
      <h2>{t(`timeline.kind.${cp.kind}`)}{cp.stepKey ? ` · ${cp.stepKey}` : ''}</h2>
      <dl className="kv">
        <div><dt>{t('inspector.time')}</dt><dd>{formatTime(cp.createdAt)}</dd></div>
        <div><dt>{t('inspector.tokens')}</dt><dd>{t('inspector.inOut', { input: formatTokens(cp.usage.inputTokens), output: formatTokens(cp.usage.outputTokens) })}</dd></div>
        <div><dt>{t('inspector.cost')}</dt><dd>{formatCost(cp.usage.costUsd)}</dd></div>
        <div><dt>{t('inspector.integrity')}</dt><dd>{row.integrity === 'ok' ? t('inspector.verified') : row.integrity === 'damaged' ? t('inspector.damaged') : t('inspector.unchecked')}</dd></div>
        <div><dt>{t('inspector.position')}</dt><dd>{row.isHead ? t('inspector.head') : row.onHeadPath ? t('inspector.onPath') : t('inspector.branch')}</dd></div>
        <div><dt>{t('inspector.hash')}</dt><dd className="mono">{cp.hash.slice(0, 16)}…</dd></div>
      </dl>
      <div className="actions">
        <button type="button" className="btn" disabled={row.isHead || !data || !canRollback(session)} title={canRollback(session) ? undefined : t('inspector.pauseFirst')} onClick={() => setDialog('rollback')}>{t('inspector.rollBack')}</button>
        <button type="button" className="btn" disabled={!data || !canFork(session)} onClick={() => { setForkTask(session.config.task); setDialog('fork'); }}>{t('inspector.fork')}</button>
      </div>

      {inspection.load.status === 'loading' ? <p className="muted" role="status">{t('inspector.loading')}</p> : null}
      {inspection.load.status === 'error' ? <ErrorPanel title={t('inspector.couldNotRead')} error={inspection.load.error} /> : null}
      {data ? (
        <>
          <details open>
            <summary>{t('inspector.output')}</summary>
            <CheckpointOutput kind={cp.kind} output={data.output} />
          </details>
          <details>
            <summary>{t('inspector.state')}</summary>
            <pre className="code">{JSON.stringify(data.checkpoint.state, null, 2)}</pre>
          </details>
          <details open>
            <summary>{t('inspector.diff')}</summary>
            {data.diffAgainstHead.every((d) => d.op === 'same') ? (
              <p className="muted">{t('inspector.identical')}</p>
            ) : (
              <pre className="code diff" data-testid="diff">
                {data.diffAgainstHead.map((d, i) => (
                  <span key={i} className={`diff-${d.op}`}>{d.op === 'add' ? '+ ' : d.op === 'remove' ? '− ' : '  '}{d.text}{'\n'}</span>
                ))}
              </pre>
            )}
          </details>
        </>
      ) : null}

      {dialog === 'rollback' ? (
        <ConfirmDialog title={t('inspector.rollbackTitle')} confirmLabel={t('inspector.rollbackConfirm')} busy={busy} onCancel={() => setDialog(null)} onConfirm={() => void doRollback()}>
          <p>
            {hidden === 0 ? t('inspector.noneHidden') : t('inspector.hidden', { count: hidden })}{' '}
            {t('inspector.nothingDeleted')}
          </p>
          <p>{t('inspector.backupFirst')}</p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'fork' ? (
        <ConfirmDialog title={t('inspector.forkTitle')} confirmLabel={t('inspector.forkConfirm')} busy={busy} onCancel={() => setDialog(null)} onConfirm={() => void doFork()}>
          <p>{t('inspector.forkBody')}</p>
          <label className="field">
            <span>{t('inspector.forkTask')}</span>
            <textarea rows={4} value={forkTask} onChange={(e) => setForkTask(e.target.value)} maxLength={20_000} />
          </label>
          <label className="field">
            <span>{t('inspector.forkName')}</span>
            <input value={forkName} onChange={(e) => setForkName(e.target.value)} maxLength={200} />
          </label>
        </ConfirmDialog>
      ) : null}
    </aside>
  );
}

function CheckpointOutput({ kind, output }: { kind: TimelineRow['checkpoint']['kind']; output: string | null }) {
  const { t } = useTranslation();
  if (!output) return <p className="muted">{t('inspector.noText')}</p>;
  const passages = kind === 'chunks' ? parsePassages(output) : null;
  return passages ? <PassageList passages={passages} /> : <SafeMarkdown text={output} />;
}
