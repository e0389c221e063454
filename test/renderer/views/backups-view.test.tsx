import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeCairn } from '../fake-api.ts';
import { makeBackup } from '../fixtures.ts';
import { renderApp } from '../render-app.tsx';

function setup() {
  const fake = new FakeCairn();
  fake.addSession({ name: 'Lease' });
  fake.backups = [makeBackup({ id: 'old.sqlite', createdAt: '2026-01-01T08:00:00Z', verified: 'unverified', sizeBytes: 1_572_864 }), makeBackup({ id: 'new.sqlite', createdAt: '2026-01-03T08:00:00Z' })];
  renderApp(fake, { view: 'backups' });
  return fake;
}

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
    const fake = setup();
    const rows = await screen.findAllByTestId('backup-row');
    fake.backups = fake.backups.map((b) => (b.id === 'old.sqlite' ? { ...b, verified: 'failed' as const } : b));
    fireEvent.click(within(rows[1]!).getByRole('button', { name: /^Verify backup of/ }));
    expect(await screen.findByText('The backup is damaged and cannot be restored.')).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('backup-row')[1]!.textContent).toContain('Damaged'));
    expect((within(screen.getAllByTestId('backup-row')[1]!).getByRole('button', { name: /^Restore backup/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('restores into a new session after confirmation', async () => {
    const fake = setup();
    const rows = await screen.findAllByTestId('backup-row');
    fireEvent.click(within(rows[0]!).getByRole('button', { name: /^Restore backup/ }));
    const dialog = screen.getByRole('dialog', { name: /^Restore the backup of/ });
    expect((within(dialog).getByRole('radio', { name: /Into new sessions/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(fake.callsOf('backupsRestore')).toEqual([{ id: 'new.sqlite', mode: 'new-session' }]));
    expect(await screen.findByText('Restored 1 session.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('replace mode warns and reports the safety backup', async () => {
    const fake = setup();
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
    const fake = setup();
    fake.failNext('backupsRestore', { code: 'verify-failed', message: 'The backup failed verification; nothing was changed.', hint: 'Pick an older verified backup.' });
    const rows = await screen.findAllByTestId('backup-row');
    fireEvent.click(within(rows[0]!).getByRole('button', { name: /^Restore backup/ }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Restore' }));
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
    const fake = setup();
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
