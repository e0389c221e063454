// sessions:update: a session paused by its budget gets a higher budget or a
// cheaper model and finishes; with a raised budget finished steps are never
// asked for again, a running session refuses the change, and bad input never
// reaches the store.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Session } from '../../shared/domain.ts';
import type { EventName } from '../../shared/ipc/index.ts';
import { SettingsSchema } from '../../shared/settings.ts';
import { runContract } from '../../electron/main/ipc-dispatch.ts';
import { createAppService } from '../../electron/service/app-service.ts';
import { startSimulator, type SimulatorOptions } from '../../electron/engine/simulator/index.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { sessionWaiter } from './helpers.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TASK = 'List every obligation';

/** A provider "Local" on a simulator that serves a pricey and a cheap model, both priced. */
async function setup(sim: SimulatorOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-service-update-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const doc = join(dir, 'contract.md');
  writeFileSync(doc, contractMarkdown(8));
  const server = await startSimulator({ words: 30, models: ['pricey-model', 'cheap-model'], ...sim });
  cleanups.push(() => server.close());
  const service = await createAppService({ dataDir: join(dir, 'data'), simulator: { tokensPerSecond: 0, words: 20 }, runDeps: { retry: { baseMs: 5, capMs: 20 } } });
  cleanups.push(() => service.shutdown());
  service.configure({
    settings: SettingsSchema.parse({
      providers: [{ name: 'Local', baseUrl: server.baseURL, model: 'pricey-model', keySource: { kind: 'none' } }],
      prices: [
        { model: 'pricey-model', inputPerMTok: 100, outputPerMTok: 100, setAt: '2026-01-01' },
        { model: 'cheap-model', inputPerMTok: 1, outputPerMTok: 1, setAt: '2026-01-01' },
      ],
    }),
    keys: {},
  });
  const events: Array<{ name: EventName; payload: unknown }> = [];
  service.onEvent((name, payload) => events.push({ name, payload }));
  const until = sessionWaiter(service);
  /** Starts a session on the pricey model with a budget of 40 % of the estimate and waits for the budget pause. */
  const pausedByBudget = async () => {
    const est = await service.handle('sessions:estimate', { task: TASK, template: 'custom', providerName: 'Local', documents: [doc], chunkTokens: 300, start: false });
    expect(est.costUsd).toBeGreaterThan(0);
    const created = await service.handle('sessions:create', {
      task: TASK, template: 'custom', providerName: 'Local', documents: [doc], chunkTokens: 300, concurrency: 1, budgetUsd: est.costUsd! * 0.4, start: true,
    });
    const paused = await until((s) => s.status !== 'running' && s.status !== 'created', created.id);
    expect(paused.status).toBe('paused');
    expect(paused.reason?.code).toMatch(/^budget/);
    expect(paused.usage.costUsd).toBeGreaterThan(0);
    return { paused, estimateUsd: est.costUsd! };
  };
  return { doc, server, service, events, until, pausedByBudget };
}

const succeededKeys = (entries: ReturnType<Awaited<ReturnType<typeof startSimulator>>['log']['completions']>) =>
  entries.filter((e) => e.status === 200).map((e) => e.requestKey);

describe('sessions:update', () => {
  test('a session paused by its budget takes a raised budget, resumes and finishes without asking for a finished step again', async () => {
    const { server, service, events, until, pausedByBudget } = await setup();
    const { paused } = await pausedByBudget();
    const before = server.log.completions().length;
    const keysBefore = succeededKeys(server.log.completions());

    const spent = paused.usage.costUsd;
    await expect(service.handle('sessions:update', { id: paused.id, budgetUsd: spent })).rejects.toMatchObject({ code: 'invalid_input', hint: expect.stringContaining(spent.toFixed(4)) });
    expect((await service.handle('sessions:get', { id: paused.id })).config.budgetUsd, 'a refused change is not stored').toBe(paused.config.budgetUsd);

    events.length = 0;
    const raised = await service.handle('sessions:update', { id: paused.id, budgetUsd: 100 });
    expect(raised.config.budgetUsd).toBe(100);
    expect(raised.config.provider.model).toBe('pricey-model');
    expect(raised.status, 'changing the budget does not start the run').toBe('paused');
    expect(server.log.completions().length).toBe(before);
    expect(events.filter((e) => e.name === 'session:changed').map((e) => (e.payload as Session).config.budgetUsd)).toEqual([100]);

    await service.handle('sessions:resume', { id: paused.id });
    const done = await until((s) => s.status === 'done', paused.id);
    expect(done.progress.done).toBe(done.progress.total);
    expect(done.usage.costUsd).toBeGreaterThan(spent);
    expect(done.usage.costUsd).toBeLessThanOrEqual(100);
    const keysAfter = succeededKeys(server.log.completions().slice(before));
    expect(keysAfter.length).toBeGreaterThan(0);
    expect(keysAfter.filter((k) => keysBefore.includes(k)), 'finished steps are not requested again').toEqual([]);
  });

  test('a cheaper model finishes within a budget the first model could not; answered passages keep their (paid) answers', async () => {
    const { server, service, until, pausedByBudget } = await setup();
    const { paused, estimateUsd } = await pausedByBudget();
    const before = server.log.completions().length;
    expect(server.log.completions().every((e) => e.model === 'pricey-model')).toBe(true);
    const finished = (await service.handle('sessions:detail', { id: paused.id })).chunks.filter((c) => c.status === 'done');
    expect(finished.length).toBeGreaterThan(0);

    // The rest of the plan costs ~60 % of the estimate on the pricey model; the whole plan ~1 % on the cheap one.
    const budgetUsd = paused.usage.costUsd + estimateUsd * 0.05;
    const switched = await service.handle('sessions:update', { id: paused.id, model: '  cheap-model ', budgetUsd });
    expect(switched.config.provider).toMatchObject({ name: 'Local', model: 'cheap-model' });
    expect(switched.config.budgetUsd).toBe(budgetUsd);

    await service.handle('sessions:resume', { id: paused.id });
    const done = await until((s) => s.status === 'done', paused.id);
    expect(done.usage.costUsd).toBeLessThanOrEqual(budgetUsd);
    const after = server.log.completions().slice(before);
    expect(after.every((e) => e.model === 'cheap-model')).toBe(true);
    // Passages answered (and paid for) by the first model keep their answers; only the rest, and the report, are asked.
    const detail = await service.handle('sessions:detail', { id: paused.id });
    expect(detail.chunks.every((c) => c.status === 'done')).toBe(true);
    for (const c of finished) {
      expect(detail.chunks[c.index]!.stepKey).toBe(c.stepKey);
      expect(detail.chunks[c.index]!.output).toBe(c.output);
    }
    const remaining = detail.chunks.length - finished.length;
    expect(after.filter((e) => e.status === 200).length).toBe(remaining + 1);
  });

  test('a running session refuses the change until it is paused', async () => {
    const { doc, service, until } = await setup({ words: 80, tokensPerSecond: 40 });
    const s = await service.handle('sessions:create', { task: TASK, template: 'custom', providerName: 'Local', documents: [doc], chunkTokens: 300, concurrency: 1, start: true });
    await until((x) => x.status === 'running', s.id);
    await expect(service.handle('sessions:update', { id: s.id, budgetUsd: 5 })).rejects.toMatchObject({ code: 'busy', hint: expect.stringContaining('Pause it first') });
    await expect(service.handle('sessions:update', { id: s.id, model: 'cheap-model' })).rejects.toMatchObject({ code: 'busy' });

    const paused = await service.handle('sessions:pause', { id: s.id });
    expect(paused.status).toBe('paused');
    expect(paused.config.budgetUsd).toBeNull();
    const updated = await service.handle('sessions:update', { id: s.id, budgetUsd: 5, model: 'cheap-model' });
    expect(updated.config).toMatchObject({ budgetUsd: 5, provider: { model: 'cheap-model' } });
    const removed = await service.handle('sessions:update', { id: s.id, budgetUsd: null });
    expect(removed.config.budgetUsd, 'null removes the limit').toBeNull();
    expect(removed.config.provider.model).toBe('cheap-model');
  });

  test('invalid input is refused with a reason and changes nothing', async () => {
    const { doc, service } = await setup();
    const s = await service.handle('sessions:create', { task: TASK, template: 'custom', providerName: 'Local', documents: [doc], start: false });
    const call = (payload: unknown) => runContract('sessions:update', payload, (req) => service.handle('sessions:update', req), undefined);

    for (const payload of [{ id: s.id }, { id: s.id, budgetUsd: 0 }, { id: s.id, budgetUsd: -2 }, { id: s.id, model: '' }, { id: s.id, model: 'x'.repeat(201) }, { id: s.id, budgetUsd: 1, extra: true }]) {
      const r = await call(payload);
      expect(r.ok, JSON.stringify(payload)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_request');
    }
    const missing = await call({ id: '01JBQ4Z8Y6W2N3XKPRS7TV5M9A', budgetUsd: 3 });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toMatch(/not found|no session/i);

    // The built-in simulator serves one model and is re-attached at every launch: another name would not stick.
    const sim = await service.handle('sessions:create', { task: TASK, template: 'custom', providerName: 'Simulator', documents: [doc], start: false });
    const refused = await call({ id: sim.id, model: 'gpt-4o' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('single model') } });
    const ok = await call({ id: sim.id, budgetUsd: 2 });
    expect(ok).toMatchObject({ ok: true, value: { config: { budgetUsd: 2 } } });

    const unchanged = await service.handle('sessions:get', { id: s.id });
    expect(unchanged.config).toEqual(s.config);
  });
});
