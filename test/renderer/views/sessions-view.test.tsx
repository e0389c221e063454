import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeCairn } from '../fake-api.ts';
import { renderApp } from '../render-app.tsx';

const rowOf = (name: string) => screen.getByRole('button', { name: `Open session ${name}` }).closest('li') as HTMLElement;

describe('Sessions view', () => {
  afterEach(() => vi.useRealTimers());

  it('shows an empty state that leads to a new analysis', async () => {
    renderApp();
    expect(await screen.findByText('No analyses yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Start an analysis' }));
    expect(await screen.findByRole('heading', { name: 'New analysis' })).toBeTruthy();
  });

  it('shows each status with its detail, progress, cost and activity', async () => {
    const fake = new FakeCairn();
    fake.addSession({ name: 'Running one', status: 'running' });
    fake.addSession({ name: 'Budget one', status: 'paused', reason: { code: 'budget', message: 'The budget of $1.00 would be exceeded.', hint: 'Raise the budget, then resume.' } });
    fake.addSession({ name: 'Disk one', status: 'paused', reason: { code: 'disk-full', message: 'The disk is full.' } });
    fake.addSession({ name: 'Auth one', status: 'paused', reason: { code: 'auth', message: 'The API key was rejected (401).' } });
    fake.addSession({ name: 'Crashed one', status: 'interrupted' });
    fake.addSession({ name: 'Finished one', status: 'done', progress: { done: 10, total: 10, failed: 0, etaSeconds: null } });
    fake.addSession({ name: 'Broken one', status: 'failed', reason: { code: 'model-not-found', message: 'The model gpt-x does not exist.' } });
    renderApp(fake);
    await screen.findByText('Running one');

    expect(within(rowOf('Running one')).getByText('Running')).toBeTruthy();
    expect(within(rowOf('Running one')).getByText('3/10 steps · 30%')).toBeTruthy();
    expect(within(rowOf('Running one')).getByText('$0.04')).toBeTruthy();
    expect(within(rowOf('Running one')).getByLabelText('Last activity').textContent).toBe('just now');
    expect(within(rowOf('Budget one')).getByText(/budget of \$1\.00 would be exceeded/)).toBeTruthy();
    expect(within(rowOf('Disk one')).getByText(/disk is full/)).toBeTruthy();
    expect(within(rowOf('Auth one')).getByText(/rejected \(401\)/)).toBeTruthy();
    expect(within(rowOf('Crashed one')).getByText('Interrupted')).toBeTruthy();
    expect(within(rowOf('Finished one')).getByText('Done')).toBeTruthy();
    expect(within(rowOf('Broken one')).getByText(/gpt-x does not exist/)).toBeTruthy();
    expect(within(rowOf('Running one')).getByText('Simulator')).toBeTruthy();
  });

  it('counts down live to retryAt for a waiting session', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-03-01T10:00:00Z'));
    const fake = new FakeCairn();
    fake.addSession({ name: 'Rate limited', status: 'waiting', retryAt: '2026-03-01T10:00:30Z', reason: { code: 'rate-limit', message: 'Rate limited (429).' } });
    renderApp(fake);
    const countdown = await screen.findByTestId('retry-countdown');
    expect(countdown.textContent).toBe('retrying in 30 s');
    act(() => vi.advanceTimersByTime(5_000));
    expect(screen.getByTestId('retry-countdown').textContent).toBe('retrying in 25 s');
    act(() => vi.advanceTimersByTime(26_000));
    expect(screen.getByTestId('retry-countdown').textContent).toBe('retrying now');
  });

  it('shows the interrupted banner; Resume all resumes them and hides it', async () => {
    const fake = new FakeCairn();
    fake.addSession({ name: 'A', status: 'interrupted' });
    fake.addSession({ name: 'B', status: 'interrupted' });
    fake.addSession({ name: 'C', status: 'done' });
    renderApp(fake);
    const banner = await screen.findByTestId('interrupted-banner');
    expect(banner.textContent).toContain('2 sessions were interrupted');
    fireEvent.click(within(banner).getByRole('button', { name: 'Resume all' }));
    await waitFor(() => expect(screen.queryByTestId('interrupted-banner')).toBeNull());
    expect(fake.callsOf('sessionsResumeAll')).toHaveLength(1);
    expect(await screen.findByText('Resumed 2 sessions.')).toBeTruthy();
    expect(within(rowOf('A')).getByText('Running')).toBeTruthy();
  });

  it('Review filters the list to the interrupted sessions', async () => {
    const fake = new FakeCairn();
    fake.addSession({ name: 'Stopped mid-way', status: 'interrupted' });
    fake.addSession({ name: 'Completed', status: 'done' });
    renderApp(fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Review' }));
    expect(screen.queryByText('Completed')).toBeNull();
    expect(screen.getByText('Stopped mid-way')).toBeTruthy();
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('interrupted');
  });

  it('the banner appears when the engine restarts and reports interrupted sessions', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Long run', status: 'running' });
    renderApp(fake);
    await screen.findByText('Long run');
    expect(screen.queryByTestId('interrupted-banner')).toBeNull();
    fake.sessions.set(s.id, { ...s, status: 'interrupted' });
    act(() => fake.emit('engine:restarted', { interrupted: [s.id] }));
    expect((await screen.findByTestId('interrupted-banner')).textContent).toContain('1 session was interrupted');
  });

  it('searches by name and task, and filters by status', async () => {
    const fake = new FakeCairn();
    fake.addSession({ name: 'Lease review', status: 'done' });
    fake.addSession({ name: 'Annual report', status: 'running', task: 'Find every revenue figure' });
    renderApp(fake);
    await screen.findByText('Lease review');
    fireEvent.change(screen.getByLabelText('Search sessions'), { target: { value: 'revenue' } });
    expect(screen.queryByText('Lease review')).toBeNull();
    expect(screen.getByText('Annual report')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search sessions'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'done' } });
    expect(screen.getByText('Lease review')).toBeTruthy();
    expect(screen.queryByText('Annual report')).toBeNull();
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } });
    expect(screen.getByText('No session matches this search.')).toBeTruthy();
  });

  it('shows a load error with its hint and recovers on Try again', async () => {
    const fake = new FakeCairn();
    fake.addSession({ name: 'Survivor' });
    fake.failNext('sessionsList', { code: 'store-locked', message: 'The session database is locked by another process.', hint: 'Close the other Cairn window, then try again.' });
    renderApp(fake);
    const panel = await screen.findByTestId('error-panel');
    expect(panel.textContent).toContain('locked by another process');
    expect(panel.textContent).toContain('Close the other Cairn window');
    fireEvent.click(within(panel).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Survivor')).toBeTruthy();
    expect(screen.queryByTestId('error-panel')).toBeNull();
  });

  it('live session:changed and progress events update a row in place', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Live', status: 'running' });
    renderApp(fake);
    await screen.findByText('Live');
    act(() => fake.emit('session:progress', { sessionId: s.id, progress: { done: 7, total: 10, failed: 0, etaSeconds: 5 }, usage: { ...s.usage, costUsd: 1.5 } }));
    expect(within(rowOf('Live')).getByText('7/10 steps · 70%')).toBeTruthy();
    expect(within(rowOf('Live')).getByText('$1.50')).toBeTruthy();
    act(() => void fake.change(s.id, { status: 'done' }));
    expect(within(rowOf('Live')).getByText('Done')).toBeTruthy();
  });

  it('a warning from a run is shown, named by its session, with its hint, until dismissed', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Contract review', status: 'running' });
    renderApp(fake);
    await screen.findByText('Contract review');
    act(() => fake.emit('session:warning', { sessionId: s.id, message: 'contract.pdf changed on disk since it was read.', hint: 'Start a new analysis to read the new version.' }));
    const toast = await screen.findByText('Contract review: contract.pdf changed on disk since it was read.');
    expect(toast.closest('[role="status"], [role="alert"], .toast')?.textContent).toContain('Start a new analysis to read the new version.');
  });

  it('Import session… imports a file once; the second time it asks Skip or Keep both, as the CLI does', async () => {
    const fake = new FakeCairn();
    const file = '/home/ana/lease.cairn.json';
    fake.sessionFiles.set(file, { name: 'Lease', status: 'done', progress: { done: 9, total: 9, failed: 0, etaSeconds: null } });
    renderApp(fake);
    await screen.findByText('No analyses yet');
    // Cancelled in the file dialog: nothing happens.
    fireEvent.click(screen.getByRole('button', { name: 'Import session…' }));
    await waitFor(() => expect(fake.callsOf('sessionsPickImport')).toHaveLength(1));
    expect(fake.callsOf('sessionsImport')).toHaveLength(0);

    fake.sessionFile = file;
    fireEvent.click(screen.getByRole('button', { name: 'Import session…' }));
    expect(await screen.findByText('Imported "Lease (imported)".')).toBeTruthy();
    // Imported done, shown done (not paused).
    expect(within(rowOf('Lease (imported)')).getByTestId('status-badge').getAttribute('data-status')).toBe('done');
    expect(fake.callsOf('sessionsImport')).toEqual([{ path: file, onDuplicate: 'refuse' }]);

    fireEvent.click(screen.getByRole('button', { name: 'Import session…' }));
    const ask = await screen.findByRole('dialog', { name: 'This session is already here' });
    expect(ask.textContent).toContain('“Lease (imported)”');
    fireEvent.click(within(ask).getByRole('button', { name: 'Skip' }));
    expect(await screen.findByText('Already here as "Lease (imported)"; nothing was imported.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getAllByRole('button', { name: /^Open session/ })).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: 'Import session…' }));
    fireEvent.click(within(await screen.findByRole('dialog', { name: 'This session is already here' })).getByRole('button', { name: 'Keep both' }));
    await waitFor(() => expect(screen.getAllByRole('button', { name: /^Open session/ })).toHaveLength(2));
    expect(fake.callsOf('sessionsImport').map((c) => (c as { onDuplicate: string }).onDuplicate)).toEqual(['refuse', 'refuse', 'skip', 'refuse', 'keep-both']);
  });

  it('a file that is not a session file says why', async () => {
    const fake = new FakeCairn();
    fake.sessionFile = '/home/ana/notes.txt';
    renderApp(fake);
    await screen.findByText('No analyses yet');
    fireEvent.click(screen.getByRole('button', { name: 'Import session…' }));
    expect((await screen.findByTestId('toast')).textContent).toContain('Could not import the session: /home/ana/notes.txt is not a Cairn session file');
  });
});
