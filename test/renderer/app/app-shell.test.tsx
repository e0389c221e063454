import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeCairn } from '../fake-api.ts';
import { renderApp } from '../render-app.tsx';

describe('App shell', () => {
  it('navigates with a labelled left nav that marks the current page', async () => {
    renderApp();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('button', { name: 'Sessions' }).getAttribute('aria-current')).toBe('page');
    for (const [label, heading] of [['New analysis', 'New analysis'], ['Backups', 'Backups'], ['Settings', 'Settings'], ['Sessions', 'Sessions']] as const) {
      fireEvent.click(within(nav).getByRole('button', { name: label }));
      expect(await screen.findByRole('heading', { name: heading, level: 1 })).toBeTruthy();
      expect(within(nav).getByRole('button', { name: label }).getAttribute('aria-current')).toBe('page');
    }
    expect(screen.getByRole('link', { name: 'Skip to content' }).getAttribute('href')).toBe('#main');
  });

  it('counts interrupted sessions in the nav', async () => {
    const fake = new FakeCairn();
    fake.addSession({ status: 'interrupted' });
    renderApp(fake);
    expect(await screen.findByLabelText('1 interrupted')).toBeTruthy();
  });

  it('every form control in every view has an accessible name', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Labelled', status: 'done' }, { report: 'R' });
    renderApp(fake);
    const check = () => {
      for (const el of Array.from(document.querySelectorAll('input, select, textarea, button'))) {
        const id = el.getAttribute('id');
        const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.closest('label') || (id && document.querySelector(`label[for="${id}"]`)) || (el.tagName === 'BUTTON' && el.textContent?.trim());
        expect(labelled, el.outerHTML.slice(0, 120)).toBeTruthy();
      }
    };
    await screen.findByText('Labelled');
    check();
    for (const label of ['New analysis', 'Backups', 'Settings']) {
      fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: label }));
      await screen.findByRole('heading', { name: label, level: 1 });
      check();
    }
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: 'Sessions' }));
    fireEvent.click(await screen.findByRole('button', { name: `Open session ${s.name}` }));
    await screen.findByRole('heading', { name: 'Labelled', level: 1 });
    check();
  });

  it('unsubscribes from every event when unmounted', () => {
    const fake = new FakeCairn();
    const { unmount } = renderApp(fake);
    expect(fake.listenerCount('stream:text')).toBe(1);
    expect(fake.listenerCount('session:changed')).toBe(1);
    unmount();
    for (const e of ['stream:text', 'session:changed', 'session:progress', 'session:warning', 'session:limits', 'engine:restarted', 'checkpoint:added', 'backup:created', 'settings:changed'] as const) {
      expect(fake.listenerCount(e)).toBe(0);
    }
  });
});
