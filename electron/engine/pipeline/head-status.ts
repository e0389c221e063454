// A session is what its head checkpoint says. After the head moves (rollback,
// its undo) the status, reason and progress are read back from the head's path,
// so a rolled-back "done" session with its report hidden offers Resume, and the
// resume finishes from the memo. The desktop service and the CLI both move heads
// through these functions.
import type { Session } from '../../../shared/domain.ts';
import { canRollback, statusOfHead } from '../../../shared/session-state.ts';
import type { CheckpointStoreApi } from '../../store/types.ts';
import { AnalysisError, RUN_KINDS } from './analysis.ts';
import { readResults } from './read-model.ts';

const STEP_KINDS: ReadonlySet<string> = new Set(RUN_KINDS);

/** Writes the status, reason and progress the session's head implies. */
export function settleToHead(store: CheckpointStoreApi, sessionId: string): Session {
  const r = readResults(store, sessionId);
  const done = r.results.filter((c) => c.status === 'done').length;
  const failed = r.results.filter((c) => c.status === 'failed').length;
  // Every passage and the report (a hierarchical reduce adds its levels once it runs again).
  const total = r.chunks.length > 0 ? r.chunks.length + 1 : 0;
  const hasReport = r.report !== null;
  const pending = hasReport ? 0 : Math.max(1, total - done - failed);
  const { status, reason } = statusOfHead({ hasReport, hasSteps: r.path.some((cp) => STEP_KINDS.has(cp.kind)), pending });
  const progress = { done: hasReport ? Math.max(total - failed, done) : done, total, failed, etaSeconds: null };
  return store.updateSession(sessionId, { status, reason, retryAt: null, progress });
}

function refuseUnlessRollbackable(store: CheckpointStoreApi, sessionId: string): void {
  const s = store.getSession(sessionId);
  if (!canRollback(s)) {
    throw s.status === 'stopped'
      ? new AnalysisError('not_resumable', `"${s.name}" was stopped for good, so its history cannot move.`, 'Fork it from the checkpoint you want instead.')
      : new AnalysisError('busy', `"${s.name}" is running, so it cannot be rolled back now.`, 'Pause it first, then roll back.');
  }
}

/** Moves the head back to `checkpointId` (a backup is taken first) and settles the session to it. */
export function rollbackSession(store: CheckpointStoreApi, sessionId: string, checkpointId: string): { session: Session; hidden: number; backupId: string | null } {
  refuseUnlessRollbackable(store, sessionId);
  const r = store.rollback(sessionId, checkpointId);
  return { hidden: r.hidden, backupId: r.backupId ?? null, session: settleToHead(store, sessionId) };
}

/** Undoes the last rollback and settles the session to the head it returns to. */
export function undoRollbackSession(store: CheckpointStoreApi, sessionId: string): Session {
  refuseUnlessRollbackable(store, sessionId);
  store.undoRollback(sessionId);
  return settleToHead(store, sessionId);
}
