import { useState } from 'react';
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

  if (!row) {
    return (
      <aside className="card inspector" aria-label="Checkpoint details">
        <p className="muted">Select a checkpoint to see the state and output at that point and how it differs from the head.</p>
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
    <aside className="card inspector" aria-label="Checkpoint details" data-testid="checkpoint-inspector">
      <h2>{cp.kind}{cp.stepKey ? ` · ${cp.stepKey}` : ''}</h2>
      <dl className="kv">
        <div><dt>Time</dt><dd>{formatTime(cp.createdAt)}</dd></div>
        <div><dt>Tokens</dt><dd>{formatTokens(cp.usage.inputTokens)} in · {formatTokens(cp.usage.outputTokens)} out</dd></div>
        <div><dt>Cost</dt><dd>{formatCost(cp.usage.costUsd)}</dd></div>
        <div><dt>Integrity</dt><dd>{row.integrity === 'ok' ? 'Verified' : row.integrity === 'damaged' ? 'Damaged — do not roll back here' : 'Not checked yet'}</dd></div>
        <div><dt>Position</dt><dd>{row.isHead ? 'Current head' : row.onHeadPath ? "On the head's path" : 'On another branch'}</dd></div>
        <div><dt>Hash</dt><dd className="mono">{cp.hash.slice(0, 16)}…</dd></div>
      </dl>
      <div className="actions">
        <button type="button" className="btn" disabled={row.isHead || !data || !canRollback(session)} title={canRollback(session) ? undefined : 'Pause the session first; a session stopped for good can be forked instead.'} onClick={() => setDialog('rollback')}>Roll back here</button>
        <button type="button" className="btn" disabled={!data || !canFork(session)} onClick={() => { setForkTask(session.config.task); setDialog('fork'); }}>Fork from here…</button>
      </div>

      {inspection.load.status === 'loading' ? <p className="muted" role="status">Loading checkpoint…</p> : null}
      {inspection.load.status === 'error' ? <ErrorPanel title="This checkpoint could not be read" error={inspection.load.error} /> : null}
      {data ? (
        <>
          <details open>
            <summary>Output at this point</summary>
            <CheckpointOutput kind={cp.kind} output={data.output} />
          </details>
          <details>
            <summary>State</summary>
            <pre className="code">{JSON.stringify(data.checkpoint.state, null, 2)}</pre>
          </details>
          <details open>
            <summary>Difference from the head</summary>
            {data.diffAgainstHead.every((d) => d.op === 'same') ? (
              <p className="muted">Identical to the head.</p>
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
        <ConfirmDialog title="Roll back to this checkpoint?" confirmLabel="Roll back" busy={busy} onCancel={() => setDialog(null)} onConfirm={() => void doRollback()}>
          <p>
            {hidden === 0 ? 'No checkpoints will be hidden.' : `${hidden} ${hidden === 1 ? 'checkpoint' : 'checkpoints'} after this one on the current path will be hidden.`}{' '}
            Nothing is deleted: hidden checkpoints stay in the timeline as another branch.
          </p>
          <p>A backup is taken automatically first, and you can undo right after.</p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'fork' ? (
        <ConfirmDialog title="Fork a new session from here?" confirmLabel="Create fork" busy={busy} onCancel={() => setDialog(null)} onConfirm={() => void doFork()}>
          <p>The new session starts from this checkpoint; this session stays as it is. Steps already done are reused, not paid for again.</p>
          <label className="field">
            <span>Task for the fork</span>
            <textarea rows={4} value={forkTask} onChange={(e) => setForkTask(e.target.value)} maxLength={20_000} />
          </label>
          <label className="field">
            <span>Name of the fork (optional)</span>
            <input value={forkName} onChange={(e) => setForkName(e.target.value)} maxLength={200} />
          </label>
        </ConfirmDialog>
      ) : null}
    </aside>
  );
}

function CheckpointOutput({ kind, output }: { kind: TimelineRow['checkpoint']['kind']; output: string | null }) {
  if (!output) return <p className="muted">This step produced no text.</p>;
  const passages = kind === 'chunks' ? parsePassages(output) : null;
  return passages ? <PassageList passages={passages} /> : <SafeMarkdown text={output} />;
}
