// Walks the session state machine: every status, every move out of it, and the
// questions each layer asks, so a change to one row is a change someone sees.
import { describe, expect, it } from 'vitest';
import { SessionStatusSchema, type SessionStatus } from '../../shared/domain.ts';
import {
  canEditSettings, canPause, canResume, canRollback, canStart, canStop, canTransition, isActive, isAutoResumable, isRunnable,
  LIVE_STATUSES, needsAttention, normalizeSettledWait, statusOfHead, statusOnArrival, TRANSITIONS,
} from '../../shared/session-state.ts';

const ALL = SessionStatusSchema.options;
const RETRY_AT = '2026-01-01T00:00:00.000Z';
const state = (status: SessionStatus) => ({ status, retryAt: status === 'waiting' ? RETRY_AT : null });

describe('the transition table', () => {
  it('has a row for every status and names only statuses', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ALL].sort());
    for (const to of Object.values(TRANSITIONS).flat()) expect(ALL).toContain(to);
  });

  it('every status is reachable from a draft', () => {
    const seen = new Set<SessionStatus>(['created']);
    const queue: SessionStatus[] = ['created'];
    while (queue.length) {
      for (const to of TRANSITIONS[queue.shift()!]) {
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...ALL].sort());
  });

  it('walks every pair: a move is allowed exactly when the table lists it (or it is no move)', () => {
    const allowed: string[] = [];
    for (const from of ALL) for (const to of ALL) if (canTransition(from, to) && from !== to) allowed.push(`${from}→${to}`);
    expect(allowed.sort()).toEqual([
      'created→running', 'created→paused', 'created→done', 'created→failed', 'created→stopped',
      'running→waiting', 'running→paused', 'running→interrupted', 'running→done', 'running→failed', 'running→stopped',
      'waiting→running', 'waiting→paused', 'waiting→interrupted', 'waiting→failed', 'waiting→stopped',
      'paused→created', 'paused→running', 'paused→done', 'paused→stopped',
      'interrupted→created', 'interrupted→running', 'interrupted→paused', 'interrupted→done', 'interrupted→stopped',
      'done→created', 'done→running', 'done→paused',
      'failed→created', 'failed→running', 'failed→paused', 'failed→done', 'failed→stopped',
    ].sort());
  });

  it('only a live run can move to waiting, interrupted or done from running; stopped is for good', () => {
    for (const from of ALL) {
      if (canTransition(from, 'waiting') && from !== 'waiting') expect(from).toBe('running');
      if (canTransition(from, 'interrupted') && from !== 'interrupted') expect(LIVE_STATUSES).toContain(from);
    }
    expect(ALL.filter((to) => to !== 'stopped' && canTransition('stopped', to))).toEqual([]);
  });

  it('every status a run can enter from is runnable, and nothing runnable is live', () => {
    for (const from of ALL) {
      expect(canTransition(from, 'running') || from === 'running', from).toBe(isRunnable(state(from)) || isActive(state(from)));
    }
  });
});

describe('the questions', () => {
  it('answers each for each status', () => {
    const table = Object.fromEntries(ALL.map((s) => {
      const st = state(s);
      return [s, { active: isActive(st), pause: canPause(st), resume: canResume(st), start: canStart(st), stop: canStop(st), rollback: canRollback(st), edit: canEditSettings(st), auto: isAutoResumable(st), attention: needsAttention(st) }];
    }));
    expect(table).toEqual({
      created: { active: false, pause: false, resume: false, start: true, stop: true, rollback: true, edit: true, auto: false, attention: false },
      running: { active: true, pause: true, resume: false, start: false, stop: true, rollback: false, edit: false, auto: false, attention: false },
      waiting: { active: true, pause: true, resume: false, start: false, stop: true, rollback: false, edit: false, auto: false, attention: false },
      paused: { active: false, pause: false, resume: true, start: false, stop: true, rollback: true, edit: true, auto: false, attention: true },
      interrupted: { active: false, pause: false, resume: true, start: false, stop: true, rollback: true, edit: true, auto: true, attention: true },
      done: { active: false, pause: false, resume: false, start: false, stop: false, rollback: true, edit: true, auto: false, attention: false },
      failed: { active: false, pause: false, resume: true, start: false, stop: false, rollback: true, edit: true, auto: false, attention: true },
      stopped: { active: false, pause: false, resume: false, start: false, stop: false, rollback: false, edit: false, auto: false, attention: false },
    });
  });

  it('agrees with the table: what a question allows is a move the table lists', () => {
    for (const from of ALL) {
      const st = state(from);
      if (canResume(st) || canStart(st)) expect(canTransition(from, 'running'), from).toBe(true);
      if (canStop(st)) expect(canTransition(from, 'stopped'), from).toBe(true);
      if (canPause(st)) expect(canTransition(from, 'paused'), from).toBe(true);
      // A rollback lands on done, a draft or paused (statusOfHead): each must be reachable.
      if (canRollback(st)) for (const to of ['done', 'created', 'paused'] as const) expect(canTransition(from, to), `${from}→${to}`).toBe(true);
    }
  });

  it('a wait with no retry time is not a run: it reads as paused, resumable', () => {
    const settled = { status: 'waiting' as const, retryAt: null };
    expect(isActive(settled)).toBe(false);
    expect(canPause(settled)).toBe(false);
    expect(normalizeSettledWait(settled)).toEqual({ status: 'paused', retryAt: null });
    expect(canResume(normalizeSettledWait(settled))).toBe(true);
    // Every question already reads it so, for a session that was not normalised on its way.
    expect([canResume(settled), canStop(settled), needsAttention(settled), isRunnable(settled)]).toEqual([true, true, true, true]);
    expect(normalizeSettledWait({ status: 'waiting' as const, retryAt: RETRY_AT })).toEqual({ status: 'waiting', retryAt: RETRY_AT });
  });

  it('the head decides after a rollback: report → done, no step → draft, else paused with what is pending', () => {
    expect(statusOfHead({ hasReport: true, hasSteps: true, pending: 0 })).toEqual({ status: 'done', reason: null });
    expect(statusOfHead({ hasReport: false, hasSteps: false, pending: 0 })).toEqual({ status: 'created', reason: null });
    const back = statusOfHead({ hasReport: false, hasSteps: true, pending: 5 });
    expect(back.status).toBe('paused');
    expect(back.reason).toMatchObject({ code: 'rolled_back' });
    expect(back.reason?.message).toMatch(/5 steps are still to run/);
    expect(canResume(back)).toBe(true);
  });

  it('a session brought in keeps its status; one that was live arrives interrupted', () => {
    const reason = { code: 'budget_exceeded', message: 'Budget reached.' };
    for (const s of ['done', 'paused', 'interrupted', 'failed', 'stopped', 'created'] as const) {
      expect(statusOnArrival({ status: s, retryAt: null, reason: s === 'paused' ? reason : null })).toEqual({ status: s, reason: s === 'paused' ? reason : null, retryAt: null });
    }
    for (const s of LIVE_STATUSES) {
      const arrived = statusOnArrival({ status: s, retryAt: s === 'waiting' ? RETRY_AT : null, reason: null });
      expect(arrived.status).toBe('interrupted');
      expect(isAutoResumable(arrived)).toBe(true);
    }
  });
});
