// Stop ends a session for good: it is not resumed (by hand or automatically),
// and it can still be forked from any checkpoint or exported. Pause is the
// resumable stop. The desktop service and the CLI both stop through here.
import type { Session } from '../../../shared/domain.ts';
import { canStop, STOPPED_REASON } from '../../../shared/session-state.ts';
import type { CheckpointStoreApi } from '../../store/types.ts';
import { AnalysisError } from './analysis.ts';

/**
 * Marks the session stopped. The caller first ends its own run of it; holding the
 * lease while writing proves no other process (the app, another `cairn`) runs it.
 */
export function stopForGood(store: CheckpointStoreApi, sessionId: string, owner: string): Session {
  const s = store.getSession(sessionId);
  if (!canStop(s)) {
    throw new AnalysisError('conflict', `"${s.name}" is ${s.status}, so there is nothing to stop.`, s.status === 'stopped' ? undefined : 'Fork or export it as it is.');
  }
  if (!store.acquireLease(sessionId, owner)) {
    throw new AnalysisError('lease_held', `"${s.name}" is being run by another Cairn process, so it cannot be stopped from here.`, 'Stop it where it runs (the desktop app or the cairn command), or wait: a process that died releases it within 10 seconds.');
  }
  try {
    return store.updateSession(sessionId, { status: 'stopped', reason: STOPPED_REASON, retryAt: null });
  } finally {
    store.releaseLease(sessionId, owner);
  }
}
