import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeCairn } from '../fake-api.ts';
import { makeBackup } from '../fixtures.ts';
import { renderApp } from '../render-app.tsx';

function setup() {
  const fake = new FakeCairn();
  const lease = fake.addSession({ name: 'Lease', status: 'done', progress: { done: 9, total: 9, failed: 0, etaSeconds: null } });
  fake.backups = [makeBackup({ id: 'old.sqlite', createdAt: '2026-01-01T08:00:00Z', verified: 'unverified', sizeBytes: 1_572_864 }), makeBackup({ id: 'new.sqlite', createdAt: '2026-01-03T08:00:00Z' })];
  // The backup holds Lease (still here), Supply terms (deleted since, done) and a draft that is in the trash now.
  fake.backupContents.set('new.sqlite', [
    { id: SUPPLY, name: 'Supply terms', status: 'done', progress: { done: 12, total: 12, failed: 0, etaSeconds: null }, updatedAt: '2026-01-02T17:30:00Z', trashed: false, now: 'gone' },
    { id: lease.id, name: 'Lease', status: 'done', progress: { done: 9, total: 9, failed: 0, etaSeconds: null }, updatedAt: '2026-01-02T16:00:00Z', trashed: false, now: 'here' },
    { id: DRAFT, name: 'NDA draft', status: 'created', progress: { done: 0, total: 0, failed: 0, etaSeconds: null }, updatedAt: '2026-01-02T15:00:00Z', trashed: false, now: 'trash' },
  ]);
  renderApp(fake, { view: 'backups' });
  return { fake, lease };
}

const SUPPLY = '01JBQ4Z8Y6W2N3XKPRS7TV5M9A';
const DRAFT = '01JBQ4Z8Y6W2N3XKPRS7TV5M9B';

describe('Backups view', () => {
  it('lists backups newest first with time, size and verification', async () => {
    setup();
    const rows = await screen.findAllByTestId('backup-row');
    expect(rows.map((r) => r.getAttribute('data-backup-id'))).toEqual(['new.sqlite', 'old.sqlite']);
    expect(rows[1]!.textContent).toContain('1.5 MB');
    expect(rows[1]!.textContent).toContain('Not verified');
    expect(rows[0]!.textContent).toContain('Verified');
  });

  it('shows an empty state, then Create now adds a verified backup', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'backups' });
    expect(await screen.findByTestId('backups-empty')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create backup now' }));
    expect(await screen.findByText('Backup created and verified.')).toBeTruthy();
    expect(screen.getAllByTestId('backup-row')).toHaveLength(1);
  });

  it('verifies a backup and reports damage', async () => {
    const { fake } = setup();
    const rows = await screen.findAllByTestId('backup-row');
    fake.backups = fake.backups.map((b) => (b.id === 'old.sqlite' ? { ...b, verified: 'failed' as const } : b));
    fireEvent.click(within(rows[1]!).getByRole('button', { name: /^Verify backup of/ }));
    expect(await screen.findByText('The backup is damaged and cannot be restored.')).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('backup-row')[1]!.textContent).toContain('Damaged'));
    expect((within(screen.getAllByTestId('backup-row')[1]!).getByRole('button', { name: /^Restore backup/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("lists the backup's own sessions, marks which also exist now, and restores the chosen ones", async () => {
    const { fake } = setup();
    const rows = await screen.findAllByTestId('backup-row');
    fireEvent.click(within(rows[0]!).getByRole('button', { name: /^Restore backup/ }));
    const dialog = screen.getByRole('dialog', { name: /^Restore the backup of/ });
    expect((within(dialog).getByRole('radio', { name: /as new sessions/ }) as HTMLInputElement).checked).toBe(true);
    const listed = await within(dialog).findAllByTestId('backup-session');
    await waitFor(() => expect(fake.callsOf('backupsSessions')).toEqual([{ id: 'new.sqlite' }]));
    // The backup's sessions, not today's: Supply terms is not in the list now, but it is in the backup.
    expect(listed.map((r) => r.getAttribute('data-session-id'))).toEqual([SUPPLY, expect.any(String), DRAFT]);
    const [supply, lease, draft] = listed;
    expect(supply!.textContent).toContain('Supply terms');
    expect(supply!.textContent).toContain('Done');
    expect(supply!.textContent).toContain('12/12');
    expect(supply!.textContent).toContain('Deleted since');
    expect(lease!.textContent).toContain('Also here now');
    expect(draft!.textContent).toContain('Not started');
    expect(draft!.textContent).toContain('In the trash now');
    // What was deleted since is chosen to begin with; the others are not.
    const box = (row: HTMLElement) => within(row).getByRole('checkbox') as HTMLInputElement;
    expect([box(supply!).checked, box(lease!).checked, box(draft!).checked]).toEqual([true, false, false]);
    fireEvent.click(box(draft!));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore 2 sessions' }));
    await waitFor(() => expect(fake.callsOf('backupsRestore')).toEqual([{ id: 'new.sqlite', mode: 'new-session', sessionIds: [SUPPLY, DRAFT] }]));
    expect(await screen.findByText('Restored 2 sessions.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    // Restored with the status each had: the done one is done.
    expect([...fake.sessions.values()].find((s) => s.name === 'Supply terms (restored)')?.status).toBe('done');
  });

  it('nothing chosen: Restore cannot be pressed; Choose every session picks them all', async () => {
    const { fake } = setup();
    fireEvent.click(within((await screen.findAllByTestId('backup-row'))[0]!).getByRole('button', { name: /^Restore backup/ }));
    const dialog = screen.getByRole('dialog');
    const supply = (await within(dialog).findAllByTestId('backup-session'))[0]!;
    fireEvent.click(within(supply).getByRole('checkbox'));
    expect((within(dialog).getByRole('button', { name: 'Restore' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Choose every session in the backup' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore 3 sessions' }));
    await waitFor(() => expect(fake.callsOf('backupsRestore')).toHaveLength(1));
    expect((fake.callsOf('backupsRestore')[0] as { sessionIds: string[] }).sessionIds).toHaveLength(3);
  });

  it("a backup that cannot be read says why in the dialog; an empty one says it holds no sessions", async () => {
    const { fake } = setup();
    fake.failNext('backupsSessions', { code: 'corrupt', message: 'Backup new.sqlite cannot be read: file is not a database.', hint: 'Choose another backup from the list.' });
    const rows = await screen.findAllByTestId('backup-row');
    fireEvent.click(within(rows[0]!).getByRole('button', { name: /^Restore backup/ }));
    expect((await within(screen.getByRole('dialog')).findByRole('alert', { name: "The backup's sessions could not be read" })).textContent).toContain('file is not a database');
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(rows[1]!).getByRole('button', { name: /^Restore backup/ }));
    expect(await within(screen.getByRole('dialog')).findByTestId('backup-sessions-empty')).toBeTruthy();
  });

  it('replace mode warns and reports the safety backup', async () => {
    const { fake } = setup();
    const rows = await screen.findAllByTestId('backup-row');
    fireEvent.click(within(rows[0]!).getByRole('button', { name: /^Restore backup/ }));
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByRole('radio', { name: /Replace all current data/ }));
    expect(dialog.textContent).toContain('Cairn takes a safety backup of the current data first');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsOf('backupsRestore')).toHaveLength(0);
    fireEvent.click(within(rows[0]!).getByRole('button', { name: /^Restore backup/ }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('radio', { name: /Replace all current data/ }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Restore' }));
    expect(await screen.findByText(/The data before the restore was backed up first\./)).toBeTruthy();
    expect(fake.callsOf('backupsRestore')).toEqual([{ id: 'new.sqlite', mode: 'replace' }]);
  });

  it('a failed restore keeps the dialog open and says why', async () => {
    const { fake } = setup();
    fake.failNext('backupsRestore', { code: 'verify-failed', message: 'The backup failed verification; nothing was changed.', hint: 'Pick an older verified backup.' });
    const rows = await screen.findAllByTestId('backup-row');
    fireEvent.click(within(rows[0]!).getByRole('button', { name: /^Restore backup/ }));
    fireEvent.click(await within(screen.getByRole('dialog')).findByRole('button', { name: 'Restore 1 session' }));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('Restore failed: The backup failed verification; nothing was changed.');
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('list and create errors are shown', async () => {
    const fake = new FakeCairn();
    fake.failNext('backupsList', { code: 'io', message: 'The backup folder cannot be read.', hint: 'Open Settings → General to check the data directory.' });
    fake.failNext('backupsCreate', { code: 'disk-full', message: 'Not enough space for a backup (needs 2.3 MB).' });
    renderApp(fake, { view: 'backups' });
    const panel = await screen.findByRole('alert', { name: 'Backups could not be listed' });
    expect(within(panel).getByRole('button', { name: 'Open Settings' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create backup now' }));
    expect((await screen.findByTestId('toast')).textContent).toContain('Backup failed: Not enough space');
  });

  it('saves retention settings', async () => {
    const { fake } = setup();
    const keep = () => screen.getByLabelText('Keep the last N backups') as HTMLInputElement;
    await waitFor(() => expect(keep().value).toBe('10'));
    fireEvent.change(keep(), { target: { value: '25' } });
    fireEvent.change(screen.getByLabelText('Also keep one per day for N days'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save retention' }));
    await waitFor(() => expect(fake.callsOf('settingsSet')).toEqual([{ backupRetention: { keepLast: 25, dailyDays: 30 } }]));
    await waitFor(() => expect(keep().value).toBe('25'));
    fireEvent.change(keep(), { target: { value: '0' } });
    expect((screen.getByRole('button', { name: 'Save retention' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
