import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FakeCairn } from '../fake-api.ts';
import { OPENAI } from '../fixtures.ts';
import { renderApp } from '../render-app.tsx';

function open(fake: FakeCairn, id: string) {
  return renderApp(fake, { view: 'session', sessionId: id, tab: 'overview' });
}

describe('Session view', () => {
  it('offers the controls that make sense for each state', async () => {
    const cases: Array<[string, Parameters<FakeCairn['addSession']>[0], string[]]> = [
      ['counting down', { status: 'waiting', retryAt: new Date(Date.now() + 30_000).toISOString(), reason: { code: 'rate_limit', message: 'Slow down (429).' } }, ['Pause', 'Stop']],
      // No retry is coming: it reads as paused (Resume retries the passages), never as a live run.
      ['gave up on passages', { status: 'waiting', retryAt: null, reason: { code: 'attempts_exhausted', message: '2 passages failed after every retry.' } }, ['Resume', 'Stop']],
      ['paused', { status: 'paused', reason: { code: 'stopped', message: 'Stopped on request.' } }, ['Resume', 'Stop']],
      ['interrupted', { status: 'interrupted', reason: { code: 'interrupted', message: 'The process stopped.' } }, ['Resume', 'Stop']],
      ['running', { status: 'running' }, ['Pause', 'Stop']],
      ['draft', { status: 'created' }, ['Start']],
      ['done', { status: 'done' }, []],
      ['failed', { status: 'failed', reason: { code: 'internal', message: 'Unexpected error.' } }, ['Resume']],
      ['stopped for good', { status: 'stopped', reason: { code: 'stopped_for_good', message: 'Stopped by you for good.' } }, []],
    ];
    for (const [name, patch, expected] of cases) {
      const fake = new FakeCairn();
      const s = fake.addSession({ name, ...patch });
      const view = open(fake, s.id);
      const group = await screen.findByRole('group', { name: 'Session controls' });
      const labels = within(group).queryAllByRole('button').map((b) => b.textContent);
      expect(labels, name).toEqual(expected);
      view.unmount();
    }
  });

  it('shows progress, tokens, cost and ETA, and the Simulator label', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Lease', status: 'running' });
    open(fake, s.id);
    const bar = await screen.findByRole('progressbar', { name: 'Analysis progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('3');
    expect(bar.getAttribute('aria-valuemax')).toBe('10');
    const progress = screen.getByTestId('progress');
    expect(progress.textContent).toContain('3 / 10');
    expect(progress.textContent).toContain('12k in');
    expect(progress.textContent).toContain('$0.04');
    expect(progress.textContent).toContain('42 s');
    expect(screen.getAllByText('Simulator').length).toBeGreaterThan(0);
  });

  it('shows no ETA once the run is not going (paused, done)', async () => {
    for (const status of ['paused', 'done'] as const) {
      const fake = new FakeCairn();
      const s = fake.addSession({ name: `Eta ${status}`, status, progress: { done: 3, total: 10, failed: 0, etaSeconds: 42 } });
      const view = open(fake, s.id);
      await screen.findByRole('heading', { name: `Eta ${status}` });
      const eta = within(screen.getByTestId('progress')).getByText('ETA').nextElementSibling;
      expect(eta?.textContent, status).toBe('—');
      view.unmount();
    }
  });

  it('a pause the user asked for is a calm notice, not an error', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Held', status: 'paused', reason: { code: 'stopped', message: 'Stopped on request. Everything received so far is saved.', hint: 'Resume the session to continue where it stopped.' } });
    open(fake, s.id);
    const notice = await screen.findByRole('status', { name: 'Paused by you' });
    expect(notice.textContent).toContain('Everything received so far is saved.');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText(/Paused: stopped/)).toBeNull();
  });

  it.each([
    ['budget_exceeded', 'Paused: budget reached'],
    ['SQLITE_FULL', 'Paused: disk problem'],
    ['ENOSPC', 'Paused: disk problem'],
    ['read_only', 'Paused: disk problem'],
    ['unauthorized', 'Paused: the provider refused the key'],
    ['forbidden', 'Paused: the provider refused access to the model'],
    ['missing_key', 'Paused: no API key for this provider'],
    ['insufficient_quota', 'Paused: no credit left with the provider'],
    ['model_not_found', 'Paused: the model is not available'],
    ['http_422', 'Paused: the provider rejected the request'],
  ])('the engine code %s pauses under the title "%s"', async (code, title) => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Coded', status: 'paused', reason: { code, message: 'Something the engine said.' } });
    open(fake, s.id);
    expect(await screen.findByRole('alert', { name: title })).toBeTruthy();
  });

  it('has no Simulator label for a real provider', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Real', provider: OPENAI });
    open(fake, s.id);
    await screen.findByRole('heading', { name: 'Real' });
    expect(screen.queryByText('Simulator')).toBeNull();
  });

  it('streams live output, painting deltas as Markdown, and hides it when the step is done', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Streaming' });
    open(fake, s.id);
    await screen.findByRole('heading', { name: 'Streaming' });
    act(() => fake.emit('stream:text', { sessionId: s.id, stepKey: 'map:3', attempt: 0, text: '## Findings\n\nThe **deposit** ', done: false }));
    const live = await screen.findByTestId('live-output');
    expect(within(live).getByRole('heading', { name: 'Findings' })).toBeTruthy();
    await waitFor(() => expect(within(live).getByText('deposit').tagName).toBe('STRONG'));
    act(() => fake.emit('stream:text', { sessionId: s.id, stepKey: 'map:3', attempt: 0, text: 'is refundable.', done: false }));
    await waitFor(() => expect(screen.getByTestId('live-output').textContent).toContain('is refundable.'));
    act(() => fake.emit('stream:text', { sessionId: s.id, stepKey: 'map:3', attempt: 0, text: '', done: true }));
    await waitFor(() => expect(screen.queryByTestId('live-output')).toBeNull());
  });

  it('Pause, Resume and Stop (confirmed) call the engine', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Controlled', status: 'running' });
    open(fake, s.id);
    fireEvent.click(await screen.findByRole('button', { name: 'Pause' }));
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(fake.callsOf('sessionsPause')).toEqual([{ id: s.id }]);
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Stop' }));
    const dialog = screen.getByRole('dialog', { name: 'Stop this analysis for good?' });
    expect(dialog.textContent).toMatch(/will not be resumed/);
    expect(dialog.textContent).toMatch(/fork/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsOf('sessionsStop')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Stop for good' }));
    await waitFor(() => expect(fake.callsOf('sessionsStop')).toEqual([{ id: s.id }]));
    expect(await screen.findByTestId('stopped-panel')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
  });

  it.each([
    ['budget', 'Paused: budget reached', 'The budget of $2.00 would be exceeded by the next step.', undefined, null],
    ['disk-full', 'Paused: disk problem', 'The disk is full; nothing was lost.', 'Free some space, then resume.', null],
    ['auth', 'Paused: the provider refused the key', 'The API key was rejected by OpenAI (401).', 'Open Settings → Providers to replace it.', 'Open Settings → Providers'],
  ])('paused for %s: names the reason and the fix', async (code, title, message, hint, action) => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Paused', status: 'paused', reason: { code, message, ...(hint ? { hint } : {}) } });
    open(fake, s.id);
    const panel = await screen.findByRole('alert', { name: title });
    expect(panel.textContent).toContain(message);
    if (hint) expect(panel.textContent).toContain(hint);
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
    if (action) {
      fireEvent.click(within(panel).getByRole('button', { name: action }));
      expect(await screen.findByRole('heading', { name: 'Providers and keys' })).toBeTruthy();
    } else {
      // A budget pause is fixed in place (session-budget.test.tsx); a disk problem only by the user.
      expect(within(panel).queryAllByRole('button').map((b) => b.textContent)).toEqual(code === 'budget' ? ['Raise budget and resume'] : []);
    }
  });

  it('failed: shows the error and a fix for a missing model', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Failed', status: 'failed', reason: { code: 'model-not-found', message: 'The model gpt-9 does not exist at OpenAI (404).', hint: 'Open Settings → Providers and pick an available model.' } });
    open(fake, s.id);
    const panel = await screen.findByRole('alert', { name: 'The analysis failed' });
    expect(panel.textContent).toContain('gpt-9 does not exist');
    expect(within(panel).getByRole('button', { name: 'Open Settings → Providers' })).toBeTruthy();
  });

  it('waiting: shows the retry countdown and the reason', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Waiting', status: 'waiting', retryAt: new Date(Date.now() + 20_000).toISOString(), reason: { code: 'rate-limit', message: 'OpenAI asked to slow down (429).' } });
    open(fake, s.id);
    const panel = await screen.findByTestId('waiting-panel');
    expect(panel.textContent).toMatch(/retrying in (19|20) s/);
    expect(panel.textContent).toContain('slow down (429)');
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
  });

  it('interrupted: offers Resume', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Cut', status: 'interrupted' });
    open(fake, s.id);
    const panel = await screen.findByTestId('interrupted-panel');
    fireEvent.click(within(panel).getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(fake.callsOf('sessionsResume')).toEqual([{ id: s.id }]));
  });

  it('a session that cannot be opened shows the error', async () => {
    const fake = new FakeCairn();
    fake.failNext('sessionsDetail', { code: 'not-found', message: 'This session no longer exists.', hint: 'Restore it from Backups.' });
    open(fake, '01HX0000000000000000009999');
    const panel = await screen.findByRole('alert', { name: 'This session could not be opened' });
    expect(within(panel).getByRole('button', { name: 'Open Backups' })).toBeTruthy();
  });

  it('a failed control call shows an error toast with its hint', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Locked', status: 'running' });
    fake.failNext('sessionsPause', { code: 'lease-held', message: 'The cairn command is running this session (pid 4242).', hint: 'Stop it there, or wait for it to finish.' });
    open(fake, s.id);
    fireEvent.click(await screen.findByRole('button', { name: 'Pause' }));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('Could not pause the session: The cairn command is running this session (pid 4242).');
    expect(toast.textContent).toContain('Stop it there');
  });

  it('shows per-chunk results with sources; a citation in the report jumps to its chunk', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Cited', status: 'done' }, {
      report: 'Payment is due in 30 days [p. 12]. A claim without source [p. 99].',
      citations: [{ label: '[p. 12]', chunkIndex: 1, valid: true }, { label: 'p. 99', chunkIndex: null, valid: false }],
    });
    open(fake, s.id);
    const report = await screen.findByTestId('report');
    const rows = screen.getAllByTestId('chunk-row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain('contract.pdf p. 12');
    expect(rows[2]!.textContent).toContain('closed the stream');
    expect(screen.queryByText('Payment due in')).toBeNull();
    fireEvent.click(within(report).getByRole('button', { name: 'p. 12' }));
    await waitFor(() => expect(document.activeElement).toBe(rows[1]));
    expect(rows[1]!.className).toContain('chunk-highlight');
    expect(within(rows[1]!).getByText('30 days').tagName).toBe('STRONG');
    expect(within(report).getByText('p. 99').getAttribute('title')).toMatch(/does not match any source/);
  });

  it('retries a failed chunk', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Retry', status: 'paused' });
    open(fake, s.id);
    fireEvent.click(await screen.findByRole('button', { name: 'Retry chunk 3' }));
    await waitFor(() => expect(fake.callsOf('sessionsRetryChunk')).toEqual([{ id: s.id, index: 2 }]));
  });

  it('asks a follow-up question and shows the answer', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Ask', status: 'done' }, { report: 'The report.' });
    open(fake, s.id);
    fireEvent.change(await screen.findByLabelText('Follow-up question'), { target: { value: 'Who pays the deposit?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ask' }));
    expect(await screen.findByText('Answer to: Who pays the deposit?')).toBeTruthy();
    expect((screen.getByLabelText('Follow-up question') as HTMLTextAreaElement).value).toBe('');
  });

  it('exports Markdown, JSON and HTML and copies the report', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Export', status: 'done' }, { report: '# Final' });
    // Electron denies the page clipboard-sanitized-write (security.ts denies every permission): copying must go through main.
    const writeText = vi.fn(async () => {
      throw new DOMException('Write permission denied.', 'NotAllowedError');
    });
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    open(fake, s.id);
    fireEvent.click(await screen.findByRole('button', { name: 'Export Markdown' }));
    expect(await screen.findByText('Exported Markdown to /home/analyst/report.md')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Export HTML' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Export JSON' }));
    await waitFor(() => expect(fake.callsOf('sessionsExport').map((r) => (r as { format: string }).format)).toEqual(['md', 'html', 'json']));
    fireEvent.click(screen.getByRole('button', { name: 'Copy report' }));
    await waitFor(() => expect(fake.callsOf('appCopyText')).toEqual([{ text: '# Final' }]));
    expect(await screen.findByText('Report copied to the clipboard.')).toBeTruthy();
    expect(writeText).not.toHaveBeenCalled();
  });

  it('an export error names the fix', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Export fail', status: 'done' }, { report: 'R' });
    fake.failNext('sessionsExport', { code: 'io', message: 'Could not write /mnt/usb/report.md: read-only file system.', hint: 'Choose another folder.' });
    open(fake, s.id);
    fireEvent.click(await screen.findByRole('button', { name: 'Export Markdown' }));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('Markdown export failed: Could not write');
    expect(toast.textContent).toContain('Choose another folder.');
  });
});
