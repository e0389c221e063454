// Cost control through the CLI: `--dry-run` prices the plan and sends
// nothing; `--budget-usd` pauses before a call would pass the limit (exit 4)
// and `cairn resume --budget-usd` raises it and finishes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { useCliWorkspace, jsonOf, lastEvent, runCli, sessionIdOf, simArgs, writeSettings } from './helpers.ts';

const PRICE_PER_MTOK = 100; // $100 per million tokens, in and out: a few cents per call
const ws = useCliWorkspace('budget', 6);

/** Its own data dir (with the simulator priced) and its own simulator: the tests run side by side. */
async function setup(name: string): Promise<{ dir: string; sim: Simulator; args: (...extra: string[]) => string[] }> {
  const dir = join(ws.root, name);
  // The simulator is free by default; a price entry makes it cost like a real model.
  mkdirSync(dir, { recursive: true });
  writeSettings(dir, { prices: [{ model: 'cairn-simulator', inputPerMTok: PRICE_PER_MTOK, outputPerMTok: PRICE_PER_MTOK, setAt: '2026-01-01' }] });
  const sim = await startSimulator({ words: 40 });
  ws.sims.push(sim);
  return { dir, sim, args: (...extra) => ['run', ws.doc, '--task', 'Find every obligation', '--chunk-tokens', '300', '--concurrency', '1', ...simArgs(sim.baseURL), ...extra] };
}

interface Estimate { type: string; calls: number; chunks: number; inputTokens: number; outputTokens: number; costUsd: number; priceKnown: boolean }

describe.concurrent('cairn run --dry-run', () => {
  it('prints the estimated tokens and cost of the plan and sends nothing', async () => {
    const { dir, sim, args } = await setup('dry');
    const before = sim.log.entries.length;
    const r = await runCli([...args('--json', '--dry-run')], { dataDir: dir });
    expect(r.code, r.stderr).toBe(0);
    const est = jsonOf<Estimate>(r);
    expect(est.type).toBe('estimate');
    expect(est.calls).toBe(est.chunks + 1);
    expect(est.inputTokens).toBeGreaterThan(0);
    expect(est.outputTokens).toBeGreaterThan(0);
    expect(est.priceKnown).toBe(true);
    expect(est.costUsd).toBeCloseTo(((est.inputTokens + est.outputTokens) * PRICE_PER_MTOK) / 1_000_000, 6);
    expect(sim.log.entries.length, 'a dry run sends nothing').toBe(before);
    // No session was created either.
    expect(jsonOf<unknown[]>(await runCli(['sessions', '--json'], { dataDir: dir }))).toEqual([]);

    const text = await runCli([...args('--dry-run')], { dataDir: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/contract\.md: – pages, \d+ tokens, \d+ chunks/);
    expect(text.stdout).toMatch(/Estimate for cairn-simulator.*\d+ calls, ~\d+ input \+ ~\d+ output tokens, ~\$\d+\.\d{4}/);
    expect(text.stdout).toMatch(/Nothing was sent \(dry run\)/);
    expect(sim.log.entries.length).toBe(before);
  });
});

describe.concurrent('cairn run --budget-usd', () => {
  it('pauses before a call would pass the budget (exit 4), and resumes with a raised one', async () => {
    const { dir, sim, args } = await setup('limit');
    const est = jsonOf<Estimate>(await runCli([...args('--json', '--dry-run')], { dataDir: dir }));
    const limit = Number((est.costUsd * 0.4).toFixed(4));

    const first = await runCli([...args('--json', '--budget-usd', String(limit))], { dataDir: dir });
    expect(first.code, first.stderr).toBe(4);
    const paused = lastEvent(first);
    expect(paused).toMatchObject({ type: 'paused', status: 'paused', exitCode: 4, });
    expect(String((paused.reason as { code: string }).code)).toMatch(/budget_exceeded/);
    expect(String((paused.reason as { message: string }).message)).toMatch(/past its budget of \$/);
    const id = sessionIdOf(first);
    const shown = jsonOf<{ status: string; usage: { costUsd: number }; progress: { done: number; total: number } }>(await runCli(['show', id, '--json'], { dataDir: dir }));
    expect(shown.status).toBe('paused');
    expect(shown.usage.costUsd, 'never past the budget').toBeLessThanOrEqual(limit);
    expect(shown.usage.costUsd).toBeGreaterThan(0);
    expect(shown.progress.done).toBeGreaterThan(0);
    expect(shown.progress.done).toBeLessThan(shown.progress.total);

    // Resuming with the same budget pauses again without sending anything.
    const sent = sim.log.completions().length;
    const again = await runCli(['resume', id, '--json'], { dataDir: dir });
    expect(again.code).toBe(4);
    expect(sim.log.completions().length).toBe(sent);

    const bad = await runCli(['resume', id, '--budget-usd', '-1'], { dataDir: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--budget-usd must be a positive amount/);

    const raised = await runCli(['resume', id, '--budget-usd', '50', '--json'], { dataDir: dir });
    expect(raised.code, raised.stderr || raised.stdout.slice(-1500)).toBe(0);
    expect(lastEvent(raised)).toMatchObject({ type: 'done', exitCode: 0 });
    const done = jsonOf<{ status: string; usage: { costUsd: number } }>(await runCli(['show', id, '--json'], { dataDir: dir }));
    expect(done.status).toBe('done');
    expect(done.usage.costUsd).toBeGreaterThan(shown.usage.costUsd);
    expect(done.usage.costUsd).toBeLessThanOrEqual(50);
  });
});
