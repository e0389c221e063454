// The Sessions list's row menu (rename, archive, move to the trash) and the
// trash (restore, empty for good).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeCairn } from './fake-api.ts';
import { renderApp } from './render-app.tsx';

const rowOf = (name: string) => screen.getByRole('button', { name: `Open session ${name}` }).closest('li') as HTMLElement;
const menuAction = (name: string, action: string) => {
  fireEvent.click(within(rowOf(name)).getByText(`Actions for ${name}`));
  fireEvent.click(within(rowOf(name)).getByRole('button', { name: action }));
};

describe('Sessions: rename, archive, trash', () => {
  it('renames a session from its row menu', async () => {
    const fake = new FakeCairn();
    fake.addSession({ name: 'Q3 review', status: 'done' });
    renderApp(fake);
    await screen.findByText('Q3 review');
    menuAction('Q3 review', 'Rename');
    const dialog = screen.getByRole('dialog', { name: 'Rename session' });
    const input = within(dialog).getByLabelText('Name') as HTMLInputElement;
    expect(input.value).toBe('Q3 review');
    fireEvent.change(input, { target: { value: 'Supplier obligations' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
    expect(await screen.findByText('Supplier obligations')).toBeTruthy();
    expect(fake.callsOf('sessionsRename')).toHaveLength(1);
  });

  it('archives a session out of the list', async () => {
    const fake = new FakeCairn();
    fake.addSession({ name: 'Old one', status: 'done' });
    fake.addSession({ name: 'Current', status: 'done' });
    renderApp(fake);
    await screen.findByText('Old one');
    menuAction('Old one', 'Archive');
    await waitFor(() => expect(screen.queryByText('Old one')).toBeNull());
    expect(screen.getByText('Current')).toBeTruthy();
    expect(fake.sessions.get([...fake.sessions.values()].find((s) => s.name === 'Old one')!.id)?.archived).toBe(true);

    fireEvent.click(screen.getByLabelText('Show archived'));
    expect(await screen.findByText('Old one')).toBeTruthy();
    expect(within(rowOf('Old one')).getByText('Archived')).toBeTruthy();
    menuAction('Old one', 'Unarchive');
    await waitFor(() => expect(within(rowOf('Old one')).queryByText('Archived')).toBeNull());
    fireEvent.click(screen.getByLabelText('Show archived'));
    expect(await screen.findByText('Old one')).toBeTruthy();
  });

  it('moves a session to the trash after asking, restores it, and empties the trash for good', async () => {
    const fake = new FakeCairn();
    fake.addSession({ name: 'Draft analysis', status: 'done' });
    fake.addSession({ name: 'Keeper', status: 'done' });
    renderApp(fake);
    await screen.findByText('Draft analysis');

    menuAction('Draft analysis', 'Move to trash');
    const ask = screen.getByRole('dialog', { name: 'Move "Draft analysis" to the trash?' });
    fireEvent.click(within(ask).getByRole('button', { name: 'Move to trash' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Open session Draft analysis' })).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: 'Trash' }));
    const trash = await screen.findByRole('region', { name: 'Trash' });
    expect(await within(trash).findByText('Draft analysis')).toBeTruthy();
    fireEvent.click(within(trash).getByRole('button', { name: 'Restore Draft analysis' }));
    expect(await screen.findByRole('button', { name: 'Open session Draft analysis' })).toBeTruthy();
    await waitFor(() => expect(within(trash).queryByText('Draft analysis')).toBeNull());

    menuAction('Draft analysis', 'Move to trash');
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Move to trash' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Open session Draft analysis' })).toBeNull());
    expect(await within(trash).findByText('Draft analysis')).toBeTruthy();
    fireEvent.click(within(trash).getByRole('button', { name: 'Empty trash' }));
    const sure = screen.getByRole('dialog', { name: 'Empty the trash?' });
    fireEvent.click(within(sure).getByRole('button', { name: 'Delete for good' }));
    expect(await within(trash).findByText('The trash is empty.')).toBeTruthy();
    expect(fake.callsOf('sessionsEmptyTrash')).toHaveLength(1);
    expect(screen.getByText('Keeper')).toBeTruthy();
  });
});
