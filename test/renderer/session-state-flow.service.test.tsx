// The session view's state flows against the real service (store, engine,
// built-in simulator, in a child process as in the app): the statuses, reasons and codes on the
// screen are the engine's own, not a fake's. Pause is a calm, resumable notice;
// Stop ends the session for good; a rolled-back session offers Resume and
// finishes from the memo; a restored finished session is simply done.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../shared/domain.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { renderWithApi } from './render-app.tsx';
import { serviceBridge, type ServiceBridge } from './service-bridge.ts';

let bridge: ServiceBridge | null = null;
afterEach(async () => {
  await bridge?.close();
  bridge = null;
});

async function analysis(b: ServiceBridge, start = true) {
  const doc = join(b.dir, 'contract.md');
  writeFileSync(doc, contractMarkdown(6));
  return b.host.request('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Simulator', documents: [doc], chunkTokens: 300, concurrency: 2, start });
}

/** Polls the service (not the screen) until the session is in the state the test needs. */
async function until(b: ServiceBridge, id: string, pred: (s: Session) => boolean): Promise<Session> {
  for (let i = 0; ; i++) {
    const s = await b.host.request('sessions:get', { id });
    if (pred(s)) return s;
    if (i > 2_000) throw new Error(`the session stayed ${s.status} (${s.reason?.message ?? 'no reason'})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const controls = () => within(screen.getByRole('group', { name: 'Session controls' })).queryAllByRole('button').map((b) => b.textContent);

describe('session states from the real service', () => {
  it('Pause shows the engine\'s calm notice and Resume; Stop (confirmed) ends it for good: no Resume, and the service says stopped', async () => {
    bridge = await serviceBridge({ simulator: { tokensPerSecond: 60, words: 60 } });
    const s = await analysis(bridge);
    await until(bridge, s.id, (x) => x.status === 'running' && x.progress.done >= 1);
    renderWithApi(bridge.api(), { view: 'session', sessionId: s.id, tab: 'overview' });

    fireEvent.click(await screen.findByRole('button', { name: 'Pause' }));
    const notice = await screen.findByRole('status', { name: 'Paused by you' }, { timeout: 20_000 });
    expect(notice.textContent).toContain('Everything received so far is saved.');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(controls()).toEqual(['Resume', 'Stop']);
    expect((await bridge.host.request('sessions:get', { id: s.id })).reason?.code).toBe('stopped');

    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await screen.findByRole('button', { name: 'Pause' }, { timeout: 20_000 });
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Stop this analysis for good?' })).getByRole('button', { name: 'Stop for good' }));
    const stopped = await screen.findByTestId('stopped-panel', {}, { timeout: 20_000 });
    expect(stopped.textContent).toMatch(/Stopped for good/);
    expect(controls()).toEqual([]);
    expect(screen.getByTestId('status-badge').textContent).toContain('Stopped');
    expect(await bridge.host.request('sessions:get', { id: s.id })).toMatchObject({ status: 'stopped', reason: { code: 'stopped_for_good' } });
  });

  it('a rolled-back finished session offers Resume, which finishes it again with the same report', async () => {
    bridge = await serviceBridge({ simulator: { tokensPerSecond: 0, words: 30 } });
    const s = await analysis(bridge);
    await until(bridge, s.id, (x) => x.status === 'done');
    const report = (await bridge.host.request('sessions:detail', { id: s.id })).report!;
    const chunksCp = (await bridge.host.request('checkpoints:timeline', { sessionId: s.id, limit: 500 })).items.find((r) => r.checkpoint.kind === 'chunks')!.checkpoint;
    await bridge.host.request('checkpoints:rollback', { sessionId: s.id, checkpointId: chunksCp.id });
    renderWithApi(bridge.api(), { view: 'session', sessionId: s.id, tab: 'overview' });

    const panel = await screen.findByTestId('rolled-back-panel');
    expect(panel.textContent).toMatch(/still to run/);
    expect(screen.queryByTestId('report')).toBeNull();
    expect(screen.getByTestId('status-badge').textContent).not.toContain('Done');
    fireEvent.click(within(panel).getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(screen.getByTestId('status-badge').textContent).toContain('Done'), { timeout: 30_000 });
    expect(await screen.findByTestId('report')).toBeTruthy();
    expect((await bridge.host.request('sessions:detail', { id: s.id })).report).toBe(report);
  });

  it('a finished session restored from a backup is done with its report, not "needs your attention"', async () => {
    bridge = await serviceBridge({ simulator: { tokensPerSecond: 0, words: 30 } });
    const s = await analysis(bridge);
    await until(bridge, s.id, (x) => x.status === 'done');
    const backup = await bridge.host.request('backups:create', {});
    const restored = await bridge.host.request('backups:restore', { id: backup.id, mode: 'new-session', sessionIds: [s.id] });
    renderWithApi(bridge.api(), { view: 'session', sessionId: restored.restoredSessions[0]!, tab: 'overview' });
    await screen.findByTestId('report');
    expect(screen.getByTestId('status-badge').textContent).toContain('Done');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(controls()).toEqual([]);
  });
});
