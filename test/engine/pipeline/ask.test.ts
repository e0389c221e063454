import { afterEach, describe, expect, test } from 'vitest';
import { runSession } from '../../../electron/engine/pipeline/analysis.ts';
import { askQuestion } from '../../../electron/engine/pipeline/ask.ts';
import { estimateAnalysis } from '../../../electron/engine/pipeline/estimate.ts';
import { readResults } from '../../../electron/engine/pipeline/read-model.ts';
import { PriceTable } from '../../../electron/engine/pricing.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

describe('follow-up questions', () => {
  test('answers are streamed, checkpointed, kept whole in the transcript, and truncation is recorded', async () => {
    env = await pipelineEnv({ words: 60, contextTokens: 2_000 }, 30);
    const deps = { store: env.store, owner: 'ask-test', contextWindows: [{ model: 'cairn-simulator', tokens: 2_000 }] };
    const s = env.store.createSession({ name: 'MSA', config: env.config() });
    await runSession(s.id, deps);
    const deltas: string[] = [];
    const first = await askQuestion(s.id, 'What notice is needed to terminate?', deps, { onEvent: (e) => e.type === 'delta' && deltas.push(e.text) });
    expect(first.answer.length).toBeGreaterThan(10);
    expect(deltas.join('')).toBe(first.answer);
    for (let i = 0; i < 20; i++) await askQuestion(s.id, `Question ${i}: which late fees apply to report ${i}?`, deps);
    const r = readResults(env.store, s.id);
    expect(r.conversation.length).toBe(42);
    expect(r.conversation[0]).toMatchObject({ role: 'user', text: 'What notice is needed to terminate?' });
    expect(r.conversation[1]!.text).toBe(first.answer);
    const context = r.path.filter((cp) => cp.kind === 'context');
    expect(context.length).toBeGreaterThan(0);
    // The simulator refuses any request over 2,000 tokens: none was refused.
    expect(env.sim.log.completions().filter((e) => e.status !== 200).map((e) => e.status)).toEqual([]);
    // The findings outgrew the window, so they were combined hierarchically.
    expect(r.path.some((cp) => cp.kind === 'reduce' && (cp.state as { level?: number }).level === 1)).toBe(true);
    expect(env.store.getSession(s.id).status).toBe('done');
  });

  test('asking before the report exists says what to do', async () => {
    env = await pipelineEnv();
    const s = env.store.createSession({ name: 'MSA', config: env.config() });
    await expect(askQuestion(s.id, 'anything?', { store: env.store, owner: 'x' })).rejects.toMatchObject({ code: 'not_ready' });
  });

  test('a dry-run estimate counts chunks and prices them without sending anything', async () => {
    env = await pipelineEnv();
    const cfg = env.config({ provider: { ...env.config().provider, model: 'gpt-4o', simulator: false } });
    const est = await estimateAnalysis(cfg, { prices: new PriceTable() });
    expect(est.chunks).toBeGreaterThan(5);
    expect(est.calls).toBe(est.chunks + 1);
    expect(est.costUsd).toBeGreaterThan(0);
    expect(env.sim.log.entries.length).toBe(0);
  });
});
