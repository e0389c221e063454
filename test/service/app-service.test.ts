import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { EventName } from '../../shared/ipc/index.ts';
import { SettingsSchema } from '../../shared/settings.ts';
import { createAppService, type AppServiceOptions } from '../../electron/service/app-service.ts';
import { StreamCoalescer } from '../../electron/service/stream-coalescer.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { sessionWaiter } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup(simulator: AppServiceOptions['simulator'] = { tokensPerSecond: 0, words: 30 }) {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-service-'));
  dirs.push(dir);
  const doc = join(dir, 'contract.md');
  writeFileSync(doc, contractMarkdown(10));
  const service = await createAppService({ dataDir: join(dir, 'data'), simulator, runDeps: { retry: { baseMs: 5, capMs: 20 } } });
  service.configure({ settings: SettingsSchema.parse({}), keys: {} });
  const events: Array<{ name: EventName; payload: unknown; at: number }> = [];
  service.onEvent((name, payload) => events.push({ name, payload, at: Date.now() }));
  const until = sessionWaiter(service);
  return { dir, doc, service, events, until };
}

describe('app service', () => {
  test('creates and runs a session on the built-in simulator, with events, detail, timeline, export and history moves', async () => {
    const { doc, service, events, until } = await setup();
    const created = await service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Simulator', documents: [doc], chunkTokens: 300, start: true });
    const done = await until((s) => s.status === 'done', created.id);
    expect(done.progress.done).toBe(done.progress.total);
    expect(done.config.provider.simulator).toBe(true);

    const detail = await service.handle('sessions:detail', { id: created.id });
    expect(detail.simulator).toBe(true);
    expect(detail.report).toBeTruthy();
    expect(detail.chunks.every((c) => c.status === 'done')).toBe(true);
    expect(events.some((e) => e.name === 'checkpoint:added')).toBe(true);
    expect(events.some((e) => e.name === 'session:progress')).toBe(true);
    const streams = events.filter((e) => e.name === 'stream:text').map((e) => e.payload as { done: boolean; stepKey: string });
    expect(streams.some((s) => s.done)).toBe(true);

    const tl = await service.handle('checkpoints:timeline', { sessionId: created.id, limit: 500 });
    expect(tl.total).toBeGreaterThan(detail.chunks.length);
    const chunksCp = tl.items.find((r) => r.checkpoint.kind === 'chunks')!.checkpoint;
    const inspected = await service.handle('checkpoints:inspect', { checkpointId: chunksCp.id });
    expect(inspected.hiddenByRollback).toBeGreaterThan(0);

    const rb = await service.handle('checkpoints:rollback', { sessionId: created.id, checkpointId: chunksCp.id });
    expect(rb.hidden).toBe(inspected.hiddenByRollback);
    expect((await service.handle('sessions:detail', { id: created.id })).report).toBeNull();
    const undone = await service.handle('checkpoints:undoRollback', { sessionId: created.id });
    expect(undone.headId).toBe(done.headId);

    const fork = await service.handle('checkpoints:fork', { sessionId: created.id, checkpointId: chunksCp.id, task: 'Summarise the risks' });
    expect(fork.forkOf).toEqual({ sessionId: created.id, checkpointId: chunksCp.id });
    await service.handle('sessions:start', { id: fork.id });
    await until((s) => s.status === 'done', fork.id);
    expect((await service.handle('sessions:detail', { id: fork.id })).session.config.task).toBe('Summarise the risks');

    const md = await service.handle('sessions:export', { id: created.id, format: 'md', save: false });
    expect(md.content).toContain(detail.report!.slice(0, 40));
    const backup = await service.handle('backups:create', {});
    expect(backup.verified).toBe('ok');
    expect((await service.handle('backups:list', {})).items.map((b) => b.id)).toContain(backup.id);
    expect((await service.handle('checkpoints:verify', {})).ok).toBe(true);
    await service.shutdown();
  });

  test('pause stops a running session with its partial kept, and resume finishes it', async () => {
    const { doc, service, until } = await setup({ tokensPerSecond: 150, words: 60 });
    const s = await service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Simulator', documents: [doc], chunkTokens: 300, concurrency: 2, start: true });
    await until((x) => x.progress.done >= 1, s.id);
    const paused = await service.handle('sessions:pause', { id: s.id });
    expect(paused.status).toBe('paused');
    expect(service.running()).toEqual([]);
    await service.handle('sessions:resume', { id: s.id });
    const done = await until((x) => x.status === 'done', s.id, 60_000);
    expect(done.progress.done).toBe(done.progress.total);
    await service.shutdown();
  });

  test('document previews report bad files by name and keep the good ones', async () => {
    const { dir, doc, service } = await setup();
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const r = await service.handle('documents:preview', { paths: [doc, empty, join(dir, 'missing.pdf')] });
    expect(r.documents[0]).toMatchObject({ ok: true, error: null });
    expect(r.documents[0]!.chunks).toBeGreaterThan(0);
    expect(r.documents[1]!.ok).toBe(false);
    expect(r.documents[1]!.error?.message).toContain('empty.txt');
    expect(r.documents[2]!.ok).toBe(false);
    const est = await service.handle('sessions:estimate', { task: 'x', template: 'custom', providerName: 'Simulator', documents: [doc], start: false });
    expect(est.chunks).toBeGreaterThan(0);
    expect((await service.handle('providers:test', { name: 'Simulator' })).ok).toBe(true);
    await expect(service.handle('sessions:create', { task: 'x', template: 'custom', providerName: 'Nope', documents: [doc], start: false })).rejects.toMatchObject({ code: 'unknown_provider' });
    await service.shutdown();
  });

  test('a run\'s warnings reach the app as session:warning events', async () => {
    const { dir, doc, service, events, until } = await setup();
    const copy = join(dir, 'contract-copy.md');
    copyFileSync(doc, copy);
    const created = await service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Simulator', documents: [doc, copy], chunkTokens: 300, start: true });
    await until((s) => s.status === 'done', created.id);
    const warnings = events.filter((e) => e.name === 'session:warning').map((e) => e.payload);
    expect(warnings).toEqual([{ sessionId: created.id, message: 'contract-copy.md is the same file as contract.md; it is analysed once.' }]);
    await service.shutdown();
  });
});

describe('stream coalescer', () => {
  test('first piece at once, at most one event per interval, last always flushed', () => {
    // A virtual clock: the intervals are asserted on it, not on a busy machine's.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const sent: Array<{ text: string; done: boolean; at: number }> = [];
      const c = new StreamCoalescer((p) => sent.push({ text: p.text, done: p.done, at: Date.now() }), 50, () => Date.now());
      const piece = (text: string) => ({ sessionId: 'S', stepKey: 'map:0', attempt: 1, text, done: false });
      const start = Date.now();
      c.push(piece('a'));
      expect(sent).toHaveLength(1);
      for (let i = 0; i < 40; i++) {
        c.push(piece('b'));
        vi.advanceTimersByTime(5);
      }
      c.endAll('S');
      const total = Date.now() - start;
      expect(sent.map((s) => s.text).join('')).toBe('a' + 'b'.repeat(40));
      expect(sent.at(-1)!.done).toBe(true);
      expect(sent.length).toBeLessThanOrEqual(Math.ceil(total / 50) + 2);
      for (let i = 1; i < sent.length - 1; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(50);
    } finally {
      vi.useRealTimers();
    }
  });
});
