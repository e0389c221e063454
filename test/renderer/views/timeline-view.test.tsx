import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../shared/domain.ts';
import { STOPPED_REASON } from '../../../shared/session-state.ts';
import { FakeCairn } from '../fake-api.ts';
import { makeCheckpoint, makeTimeline } from '../fixtures.ts';
import { renderApp } from '../render-app.tsx';

// jsdom has no layout: give every element a 480 px viewport so the virtualiser renders a window of rows.
const descriptors = {
  clientHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight'),
  clientWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth'),
};
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 480 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
});
afterAll(() => {
  if (descriptors.clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', descriptors.clientHeight);
  if (descriptors.clientWidth) Object.defineProperty(HTMLElement.prototype, 'clientWidth', descriptors.clientWidth);
});

function setup(count = 6, status: Session['status'] = 'done') {
  const fake = new FakeCairn();
  const s = fake.addSession({ name: 'History', status, ...(status === 'stopped' ? { reason: STOPPED_REASON } : {}) });
  const rows = makeTimeline(s.id, count);
  fake.timelines.set(s.id, rows);
  const r = renderApp(fake, { view: 'session', sessionId: s.id, tab: 'timeline' });
  return { ...r, fake, session: s, rows };
}

describe('Timeline', () => {
  it('virtualises 10,000 checkpoints: renders a window and pages in more on scroll', async () => {
    const { fake } = setup(10_000);
    expect((await screen.findByTestId('timeline-count')).textContent).toBe('10000 checkpoints');
    const list = screen.getByRole('listbox', { name: 'Checkpoints' });
    await waitFor(() => expect(within(list).getAllByRole('option').length).toBeGreaterThan(10));
    expect(within(list).getAllByRole('option').length).toBeLessThan(60);
    expect(fake.callsOf('checkpointsTimeline')).toHaveLength(1);
    act(() => {
      list.scrollTop = 480 * 34;
      fireEvent.scroll(list);
    });
    await waitFor(() => expect(fake.callsOf('checkpointsTimeline')).toHaveLength(2));
    expect(fake.callsOf('checkpointsTimeline')[1]).toMatchObject({ cursor: '500' });
    await waitFor(() => expect(screen.getByText('map:480')).toBeTruthy());
    expect(within(list).getAllByRole('option').length).toBeLessThan(60);
  });

  it('shows time, kind, step, tokens, cost, integrity, head and branches', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Branches', status: 'done' });
    const rows = makeTimeline(s.id, 4);
    const branch = makeCheckpoint(s.id, 'map', 9, rows[1]!.checkpoint.id);
    rows.push({ checkpoint: branch, onHeadPath: false, isHead: false, depth: 2, integrity: 'damaged' });
    fake.timelines.set(s.id, rows);
    renderApp(fake, { view: 'session', sessionId: s.id, tab: 'timeline' });
    const head = await screen.findByRole('option', { name: /^report at .*, head, integrity verified$/ });
    expect(head.className).toContain('tl-is-head');
    const row2 = screen.getByRole('option', { name: /^map map:2 at/ });
    expect(row2.textContent).toContain('map:2');
    expect(row2.textContent).toContain('220');
    expect(row2.textContent).toContain('$0.0020');
    expect(row2.textContent).toContain('✓');
    const off = screen.getByRole('option', { name: /on another branch, damaged$/ });
    expect(off.className).toContain('tl-off-path');
    expect(off.textContent).toContain('✗');
    // Branches sit in their own lane; a long linear history is not indented by its depth.
    expect(off.querySelector('.tl-tree')!.className).toContain('tl-lane-branch');
    expect(row2.querySelector('.tl-tree')!.className).toContain('tl-lane-head');
  });

  it('selecting a checkpoint shows its output and the diff against the head; arrows move the selection', async () => {
    setup(6);
    fireEvent.click(await screen.findByRole('option', { name: /^map map:2 at/ }));
    const inspector = await screen.findByTestId('checkpoint-inspector');
    expect(await within(inspector).findByText('Output at step 2')).toBeTruthy();
    expect(within(inspector).getByTestId('diff').textContent).toContain('+ Added at head');
    const list = screen.getByRole('listbox', { name: 'Checkpoints' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(await within(inspector).findByText('Output at step 3')).toBeTruthy();
    expect(list.getAttribute('aria-activedescendant')).toBe(screen.getByRole('option', { selected: true }).id);
  });

  it('Roll back here: confirms what is hidden and the backup, then Undo restores the head', async () => {
    const { fake, session, rows } = setup(6);
    fireEvent.click(await screen.findByRole('option', { name: /^map map:2 at/ }));
    const inspector = await screen.findByTestId('checkpoint-inspector');
    await within(inspector).findByText('Output at step 2');
    fireEvent.click(within(inspector).getByRole('button', { name: 'Roll back here' }));
    const dialog = screen.getByRole('dialog', { name: 'Roll back to this checkpoint?' });
    expect(dialog.textContent).toContain('3 checkpoints after this one on the current path will be hidden');
    expect(dialog.textContent).toContain('A backup is taken automatically first');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(fake.callsOf('checkpointsRollback')).toEqual([{ sessionId: session.id, checkpointId: rows[2]!.checkpoint.id }]));
    const toast = await screen.findByText(/Rolled back: 3 checkpoints are hidden\. A backup was taken first\./);
    await waitFor(() => expect(screen.getByRole('option', { name: /^map map:2 at .*, head,/ })).toBeTruthy());
    fireEvent.click(within(toast.closest('[data-testid="toast"]') as HTMLElement).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(fake.callsOf('checkpointsUndoRollback')).toEqual([{ sessionId: session.id }]));
    expect(await screen.findByText('Rollback undone: the previous head is back.')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('option', { name: /^report at .*, head,/ })).toBeTruthy());
  });

  it('cancelling the rollback changes nothing; the head cannot be rolled back to', async () => {
    const { fake } = setup(4);
    fireEvent.click(await screen.findByRole('option', { name: /^report at/ }));
    const inspector = await screen.findByTestId('checkpoint-inspector');
    await within(inspector).findByText('Output at step 3');
    expect((within(inspector).getByRole('button', { name: 'Roll back here' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('option', { name: /^map map:1 at/ }));
    await within(inspector).findByText('Output at step 1');
    fireEvent.click(within(inspector).getByRole('button', { name: 'Roll back here' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsOf('checkpointsRollback')).toHaveLength(0);
  });

  it.each(['running', 'stopped'] as const)('a %s session cannot be rolled back (the state machine says so); it can be forked', async (status) => {
    setup(4, status);
    fireEvent.click(await screen.findByRole('option', { name: /^map map:1 at/ }));
    const inspector = await screen.findByTestId('checkpoint-inspector');
    await within(inspector).findByText('Output at step 1');
    expect((within(inspector).getByRole('button', { name: 'Roll back here' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(inspector).getByRole('button', { name: 'Fork from here…' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('a failed rollback says why', async () => {
    const { fake } = setup(4);
    fake.failNext('checkpointsRollback', { code: 'backup-failed', message: 'The safety backup could not be written: disk full.', hint: 'Free some space, or open Backups to remove old ones.' });
    fireEvent.click(await screen.findByRole('option', { name: /^map map:1 at/ }));
    const inspector = await screen.findByTestId('checkpoint-inspector');
    await within(inspector).findByText('Output at step 1');
    fireEvent.click(within(inspector).getByRole('button', { name: 'Roll back here' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Roll back' }));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('Rollback failed: The safety backup could not be written: disk full.');
    expect(within(toast).getByRole('button', { name: 'Open Backups' })).toBeTruthy();
  });

  it('Fork from here with an edited task opens the new session', async () => {
    const { fake, session, rows } = setup(5);
    fireEvent.click(await screen.findByRole('option', { name: /^map map:2 at/ }));
    const inspector = await screen.findByTestId('checkpoint-inspector');
    await within(inspector).findByText('Output at step 2');
    fireEvent.click(within(inspector).getByRole('button', { name: 'Fork from here…' }));
    const dialog = screen.getByRole('dialog', { name: 'Fork a new session from here?' });
    const task = within(dialog).getByLabelText('Task for the fork') as HTMLTextAreaElement;
    expect(task.value).toBe(session.config.task);
    fireEvent.change(task, { target: { value: 'Only the termination clauses.' } });
    fireEvent.change(within(dialog).getByLabelText('Name of the fork (optional)'), { target: { value: 'Termination' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create fork' }));
    await waitFor(() => expect(fake.callsOf('checkpointsFork')).toEqual([{ sessionId: session.id, checkpointId: rows[2]!.checkpoint.id, task: 'Only the termination clauses.', name: 'Termination' }]));
    expect(await screen.findByRole('heading', { name: 'Termination', level: 1 })).toBeTruthy();
  });

  it('shows load and inspect errors', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Broken', status: 'done' });
    fake.timelines.set(s.id, makeTimeline(s.id, 3));
    fake.failNext('checkpointsTimeline', { code: 'corrupt', message: 'The checkpoint database is damaged.', hint: 'Open Backups to restore the newest verified backup.' });
    renderApp(fake, { view: 'session', sessionId: s.id, tab: 'timeline' });
    const panel = await screen.findByRole('alert', { name: 'The timeline could not be loaded' });
    expect(within(panel).getByRole('button', { name: 'Open Backups' })).toBeTruthy();
    fireEvent.click(within(panel).getByRole('button', { name: 'Try again' }));
    fake.failNext('checkpointsInspect', { code: 'damaged', message: 'This checkpoint failed its hash check.' });
    fireEvent.click(await screen.findByRole('option', { name: /^map map:1 at/ }));
    expect((await screen.findByRole('alert', { name: 'This checkpoint could not be read' })).textContent).toContain('failed its hash check');
  });

  it('announces new checkpoints without jumping, and refreshes on request', async () => {
    const { fake, session } = setup(3);
    await screen.findByRole('option', { name: /^report at/ });
    const extra = makeCheckpoint(session.id, 'question', 7, null);
    fake.timelines.get(session.id)!.push({ checkpoint: extra, onHeadPath: true, isHead: false, depth: 0, integrity: 'unchecked' });
    act(() => fake.emit('checkpoint:added', { sessionId: session.id, checkpoint: extra }));
    fireEvent.click(await screen.findByRole('button', { name: '1 new — refresh' }));
    expect(await screen.findByRole('option', { name: /^question at .*not yet checked$/ })).toBeTruthy();
  });
});
