// The session state machine: what a session is and what may happen next. The
// supervisor, leases, service, CLI and renderer ask these questions here and
// keep no list of statuses of their own. Runtime-free (no Node, no DOM).
import type { Reason, SessionStatus } from './domain.ts';

/** What the questions below need of a session: its status and, for `waiting`, its retry time. */
export interface SessionState {
  status: SessionStatus;
  retryAt?: string | null;
}

/**
 * Every allowed move, from → to. A status not listed as a target cannot be reached
 * from that status. `created` is the draft: made, never run. A rollback or its undo
 * lands wherever the head says (`created`, `paused` or `done`), see `statusOfHead`.
 */
export const TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  created: ['running', 'paused', 'done', 'failed', 'stopped'],
  running: ['waiting', 'paused', 'interrupted', 'done', 'failed', 'stopped'],
  // A timed retry: the run sleeps until retryAt, then runs again.
  waiting: ['running', 'paused', 'interrupted', 'failed', 'stopped'],
  paused: ['running', 'created', 'done', 'stopped'],
  interrupted: ['running', 'paused', 'created', 'done', 'stopped'],
  // A finished session runs again only to retry a passage; a rollback makes it resumable.
  done: ['running', 'created', 'paused'],
  failed: ['running', 'paused', 'created', 'done', 'stopped'],
  // Stopped for good: nothing resumes it; it can still be forked from or exported.
  stopped: [],
};

/** Whether `from → to` is allowed. Writing the status a session already has is not a move and always is. */
export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** The statuses a run in some process may be in right now (recovery looks at these). */
export const LIVE_STATUSES = ['running', 'waiting'] as const satisfies readonly SessionStatus[];

/**
 * A run is working on it (or sleeping until its retry time): Pause applies, quitting
 * warns, the machine is kept awake, and an engine that dies leaves it interrupted.
 * `waiting` without a retry time is not a run (older data, see `normalizeSettledWait`).
 */
export function isActive(s: SessionState): boolean {
  return s.status === 'running' || (s.status === 'waiting' && s.retryAt != null);
}

/** Pause applies to exactly the active runs. */
export function canPause(s: SessionState): boolean {
  return isActive(s);
}

/** The status a session reads as: a wait with no retry time is paused. */
function statusOf(s: SessionState): SessionStatus {
  return normalizeSettledWait(s).status;
}

/** Resume continues from the last checkpoint (nothing paid for is requested again). */
export function canResume(s: SessionState): boolean {
  const status = statusOf(s);
  return status === 'paused' || status === 'interrupted' || status === 'failed';
}

/** A draft starts. */
export function canStart(s: SessionState): boolean {
  return s.status === 'created';
}

/** Whether any run may take the session: started, resumed, or a passage retried. */
export function isRunnable(s: SessionState): boolean {
  return canStart(s) || canResume(s) || s.status === 'done';
}

/** Resumed by Resume all and by the auto-resume setting: only what a dead process left behind. */
export function isAutoResumable(s: SessionState): boolean {
  return s.status === 'interrupted';
}

/** Stop ends it for good; a finished, failed or already stopped session has nothing to stop. */
export function canStop(s: SessionState): boolean {
  const status = statusOf(s);
  return isActive(s) || status === 'created' || status === 'paused' || status === 'interrupted';
}

/** The head moves only while no run writes to it, and never on a session stopped for good. */
export function canRollback(s: SessionState): boolean {
  return !isActive(s) && s.status !== 'stopped';
}

/** Budget and model are read once when a run starts, so they change only between runs. */
export function canEditSettings(s: SessionState): boolean {
  return !isActive(s) && s.status !== 'stopped';
}

/**
 * A fork is a new session from a checkpoint, and leaves this one as it is: any session,
 * even one stopped for good or running, can be forked from. (Exports, which only read
 * the head path, are always possible too.)
 */
export function canFork(_s: SessionState): boolean {
  return true;
}

/** The user should look at it: something stopped it that they can fix or resume. */
export function needsAttention(s: SessionState): boolean {
  const status = statusOf(s);
  return status === 'paused' || status === 'failed' || status === 'interrupted';
}

/** The pause reason of a run stopped on request (Pause, Ctrl-C): resumable. */
export const PAUSED_ON_REQUEST = 'stopped';

/** The pause reason of a session whose head was moved back: steps are pending, nothing is wrong. */
export const ROLLED_BACK = 'rolled_back';

/** The reason of a session the user stopped for good. */
export const STOPPED_REASON: Reason = {
  code: 'stopped_for_good',
  message: 'Stopped by you for good. Everything completed is kept.',
  hint: 'It will not be resumed. Fork it from any checkpoint on the Timeline to continue, or export what it has.',
};

/**
 * A run that gave up on some passages used to end `waiting` with no retry time. No
 * retry is coming, so it reads as what it is: paused with its reason, resumable.
 */
export function normalizeSettledWait<T extends SessionState>(s: T): T {
  return s.status === 'waiting' && s.retryAt == null ? { ...s, status: 'paused' } : s;
}

/**
 * What a session is after its head moved (rollback, undo) or after it was brought in
 * with no recorded status: done when the head's path holds the report, a draft when it
 * holds no step, otherwise paused with steps pending and Resume to finish them.
 */
export function statusOfHead(head: { hasReport: boolean; hasSteps: boolean; pending: number }): { status: SessionStatus; reason: Reason | null } {
  if (head.hasReport) return { status: 'done', reason: null };
  if (!head.hasSteps) return { status: 'created', reason: null };
  return {
    status: 'paused',
    reason: {
      code: ROLLED_BACK,
      message: `Rolled back to an earlier checkpoint: ${head.pending === 1 ? '1 step is' : `${head.pending} steps are`} still to run and there is no report yet.`,
      hint: 'Press Resume to finish from here; steps already answered are taken from the memo, not requested again.',
    },
  };
}

/**
 * The status a session brought in from a file or a backup keeps. A run cannot come
 * along with it, so one that was running (or sleeping to retry) is interrupted here.
 */
export function statusOnArrival(s: SessionState & { reason: Reason | null }): { status: SessionStatus; reason: Reason | null; retryAt: null } {
  if (isActive(s) || s.status === 'waiting') {
    return {
      status: 'interrupted',
      reason: { code: 'interrupted', message: 'It was running when it was saved; everything it completed is kept.', hint: 'Press Resume to continue from the last checkpoint.' },
      retryAt: null,
    };
  }
  return { status: s.status, reason: s.reason, retryAt: null };
}
