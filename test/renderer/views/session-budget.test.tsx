// A session paused by its budget is fixed in the session view: a higher budget
// (checked against what is already spent), then resume; a paused session can
// also switch model. Everything goes through the API, never window.cairn.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../shared/domain.ts';
import { parseBudget, roundUpBudget, suggestBudget } from '../../../renderer/views/budget-suggestion.ts';
import { FakeCairn } from '../fake-api.ts';
import { makeSession, OPENAI } from '../fixtures.ts';
import { renderApp } from '../render-app.tsx';

const BUDGET_REASON = {
  code: 'budget:budget_exceeded',
  message: 'The next call (about $0.0100) would take the session past its budget of $0.05 ($0.0421 spent).',
  hint: 'Raise the session budget and resume, or resume with a cheaper model.',
};

/** A session on OpenAI that spent $0.0421 of a $0.05 budget on 3 of 10 passages. */
function pausedForBudget(fake: FakeCairn, over: Partial<Session> = {}): Session {
  const s = fake.addSession({ name: 'Lease review', provider: OPENAI, status: 'paused', reason: BUDGET_REASON, ...over });
  return fake.change(s.id, { config: { ...s.config, budgetUsd: 0.05 } });
}

const open = (fake: FakeCairn, id: string) => renderApp(fake, { view: 'session', sessionId: id, tab: 'overview' });

describe('Raising the budget of a session paused by it', () => {
  it('offers a higher budget, refuses one not above what is spent, then updates and resumes in that order', async () => {
    const fake = new FakeCairn();
    const s = pausedForBudget(fake);
    open(fake, s.id);
    const panel = await screen.findByRole('alert', { name: 'Paused: budget reached' });
    expect(panel.textContent).toContain('past its budget of $0.05');
    const input = within(panel).getByLabelText('New budget (USD)') as HTMLInputElement;
    // 3 of 10 passages cost $0.0421: the whole run, with the reduce margin, about $0.18 (more than twice $0.05).
    expect(input.value).toBe('0.18');
    expect(within(panel).getByTestId('budget-raise').textContent).toContain('Spent $0.0421 of $0.05');
    const button = within(panel).getByRole('button', { name: 'Raise budget and resume' });
    expect((button as HTMLButtonElement).disabled).toBe(false);

    fireEvent.change(input, { target: { value: '0.04' } });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(within(panel).getByText(/Enter more than the \$0\.0421 already spent/)).toBeTruthy();
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'lots' } });
    expect(within(panel).getByText(/Enter an amount in US dollars/)).toBeTruthy();
    expect((button as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(input, { target: { value: '2.50' } });
    expect(input.getAttribute('aria-invalid')).toBe('false');
    fireEvent.click(button);
    await waitFor(() => expect(fake.callsOf('sessionsResume')).toEqual([{ id: s.id }]));
    expect(fake.callsOf('sessionsUpdate')).toEqual([{ id: s.id, budgetUsd: 2.5 }]);
    const order = fake.calls.map((c) => c.method).filter((m) => m === 'sessionsUpdate' || m === 'sessionsResume');
    expect(order).toEqual(['sessionsUpdate', 'sessionsResume']);
    expect(fake.sessions.get(s.id)?.config.budgetUsd).toBe(2.5);
    // Running again: the panel goes, Pause is offered.
    await waitFor(() => expect(screen.queryByRole('alert', { name: 'Paused: budget reached' })).toBeNull());
    expect(within(screen.getByRole('group', { name: 'Session controls' })).getByRole('button', { name: 'Pause' })).toBeTruthy();
  });

  it('a refused change shows the reason and does not resume', async () => {
    const fake = new FakeCairn();
    const s = pausedForBudget(fake);
    open(fake, s.id);
    const panel = await screen.findByRole('alert', { name: 'Paused: budget reached' });
    fake.failNext('sessionsUpdate', { code: 'busy', message: '"Lease review" is running, so its budget and model cannot change now.', hint: 'Pause it first, then change them and resume.' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Raise budget and resume' }));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('The session was not changed: "Lease review" is running');
    expect(toast.textContent).toContain('Pause it first');
    expect(fake.callsOf('sessionsResume')).toEqual([]);
    expect((within(panel).getByRole('button', { name: 'Raise budget and resume' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('is offered only for a budget pause', async () => {
    const others: Array<Partial<Session>> = [
      { status: 'paused', reason: { code: 'stopped', message: 'Stopped on request.' } },
      { status: 'paused', reason: { code: 'unauthorized', message: 'The API key was rejected by OpenAI (401).', hint: 'Open Settings → Keys to replace it.' } },
      { status: 'failed', reason: { code: 'budget:budget_exceeded', message: 'An old failure.' } },
      { status: 'running', reason: null },
    ];
    for (const over of others) {
      const fake = new FakeCairn();
      const s = fake.addSession({ name: `Other ${over.status}`, provider: OPENAI, ...over });
      const view = open(fake, s.id);
      await screen.findByRole('heading', { name: `Other ${over.status}` });
      expect(screen.queryByLabelText('New budget (USD)'), JSON.stringify(over.reason)).toBeNull();
      view.unmount();
    }
  });
});

describe('Changing the model of a paused session', () => {
  it('sends the new model, says what it costs in work, and shows it in the header', async () => {
    const fake = new FakeCairn();
    const s = pausedForBudget(fake);
    open(fake, s.id);
    const panel = await screen.findByRole('alert', { name: 'Paused: budget reached' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Change model…' }));
    const form = within(panel).getByRole('form', { name: 'Change model' });
    const input = within(form).getByLabelText('Model at OpenAI') as HTMLInputElement;
    expect(input.value).toBe(OPENAI.model);
    expect(form.textContent).toContain('Passages already answered keep their answers');
    const use = within(form).getByRole('button', { name: 'Use this model' });
    expect((use as HTMLButtonElement).disabled, 'the same model is no change').toBe(true);
    fireEvent.change(input, { target: { value: '   ' } });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect((use as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(input, { target: { value: ' gpt-4o-mini ' } });
    fireEvent.click(use);
    await waitFor(() => expect(fake.callsOf('sessionsUpdate')).toEqual([{ id: s.id, model: 'gpt-4o-mini' }]));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Change model' })).toBeNull());
    expect(screen.getByText(/OpenAI \/ gpt-4o-mini/)).toBeTruthy();
    expect(fake.callsOf('sessionsResume'), 'changing the model does not start the run').toEqual([]);
  });

  it('is offered for paused and interrupted sessions on a real provider only', async () => {
    const cases: Array<[string, Partial<Session> & { provider?: Session['config']['provider'] }, boolean]> = [
      ['interrupted', { status: 'interrupted', provider: OPENAI }, true],
      ['paused by you', { status: 'paused', reason: { code: 'stopped', message: 'Stopped on request.' }, provider: OPENAI }, true],
      ['running', { status: 'running', provider: OPENAI }, false],
      ['done', { status: 'done', provider: OPENAI }, false],
      ['simulator', { status: 'paused', reason: { code: 'stopped', message: 'Stopped on request.' } }, false],
    ];
    for (const [name, over, offered] of cases) {
      const fake = new FakeCairn();
      const s = fake.addSession({ name, ...over });
      const view = open(fake, s.id);
      await screen.findByRole('heading', { name });
      expect(screen.queryByRole('button', { name: 'Change model…' }) !== null, name).toBe(offered);
      view.unmount();
    }
  });
});

describe('budget suggestion', () => {
  it('rounds up to two significant digits, never below a cent', () => {
    expect(roundUpBudget(0.1337)).toBe(0.14);
    expect(roundUpBudget(6.42)).toBe(6.5);
    expect(roundUpBudget(123)).toBe(130);
    expect(roundUpBudget(0.0042)).toBe(0.01);
    expect(roundUpBudget(2)).toBe(2);
  });

  it('is at least twice the old limit, covers the projected run, and is always above the spent amount', () => {
    const base = makeSession({ provider: OPENAI, usage: { inputTokens: 1, outputTokens: 1, costUsd: 0.9, estimated: false }, progress: { done: 9, total: 10, failed: 0, etaSeconds: null } });
    expect(suggestBudget({ ...base, config: { ...base.config, budgetUsd: 1 } })).toBe(2);
    expect(suggestBudget({ ...base, progress: { ...base.progress, done: 1 }, config: { ...base.config, budgetUsd: 1 } })).toBe(12); // 0.9 × 10 × 1.25
    expect(suggestBudget({ ...base, progress: { ...base.progress, done: 0 } })).toBeGreaterThan(0.9);
  });

  it('parses dollars and refuses amounts that would pause again at once', () => {
    expect(parseBudget('$3', 1)).toEqual({ ok: true, usd: 3 });
    expect(parseBudget(' 2.5 ', 1)).toEqual({ ok: true, usd: 2.5 });
    expect(parseBudget('1', 1).ok).toBe(false);
    expect(parseBudget('', 0).ok).toBe(false);
    expect(parseBudget('-4', 0).ok).toBe(false);
    expect(parseBudget('Infinity', 0).ok).toBe(false);
  });
});
