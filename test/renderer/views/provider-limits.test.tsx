import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeCairn } from '../fake-api.ts';
import { renderApp } from '../render-app.tsx';

describe('Session view: the provider\'s limits', () => {
  it('says what the provider limits a running session to, once the engine has said', async () => {
    const fake = new FakeCairn();
    const s = fake.addSession({ name: 'Limited', status: 'running' });
    renderApp(fake, { view: 'session', sessionId: s.id, tab: 'overview' });
    await screen.findByRole('heading', { name: 'Limited' });
    expect(screen.queryByTestId('provider-limits')).toBeNull();
    act(() => fake.emit('session:limits', { sessionId: s.id, limits: { requestsPerMinute: 60, tokensPerMinute: 100_000, concurrency: 4, maxConcurrency: 4 } }));
    expect((await screen.findByTestId('provider-limits')).textContent).toBe('limited by the provider: 60 requests/min, 100k tokens/min');
  });
});
