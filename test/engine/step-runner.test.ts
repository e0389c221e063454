// The step runner against the real checkpoint store and the simulator over
// HTTP: memo, persistence, every row of the error table, resume policies,
// budget, cancellation.
import { afterEach, describe, expect, it } from 'vitest';
import { SessionBudget } from '../../electron/engine/budget.ts';
import { ManualClock, realClock } from '../../electron/engine/clock.ts';
import { overlapLength } from '../../electron/engine/continuation.ts';
import type { EngineError } from '../../electron/engine/errors.ts';
import { PriceTable } from '../../electron/engine/pricing.ts';
import { RateLimitGate } from '../../electron/engine/retry-policy.ts';
import { generateReply, RequestLog, type Fault } from '../../electron/engine/simulator/index.ts';
import { StepRunner, type StepRunnerOptions, type StepSpec, type StepStore } from '../../electron/engine/step-runner.ts';
import { StoreError } from '../../electron/store/errors.ts';
import { setup, simClient, type TestEnv, userMessages } from './helpers.ts';

const WORDS = 40;
let env: TestEnv | null = null;
afterEach(async () => {
  await env?.close();
  env = null;
});

function spec(e: TestEnv, over: Partial<StepSpec> = {}): StepSpec {
  return { sessionId: e.session.id, stepKey: 'map:0', kind: 'map', task: 'List the obligations.', messages: userMessages(), ...over };
}

function runner(e: TestEnv, over: Partial<StepRunnerOptions> = {}, model = 'cairn-simulator'): StepRunner {
  return new StepRunner({ store: e.store, client: simClient(e.sim, { model }), clock: new ManualClock(), ...over });
}

const expected = generateReply(userMessages(), { words: WORDS });

function headKinds(e: TestEnv): string[] {
  return e.store.headPath(e.session.id).map((c) => c.kind);
}

describe('StepRunner', () => {
  it('streams, persists and completes a step with provider usage and cost', async () => {
    env = await setup({ words: WORDS, models: ['gpt-4o-mini'] });
    const r = runner(env, {}, 'gpt-4o-mini');
    const events: string[] = [];
    r.on('attempt', () => events.push('attempt'));
    r.on('delta', () => events.push('delta'));
    r.on('completed', () => events.push('completed'));
    const out = await r.run(spec(env));
    expect(out.output).toBe(expected);
    expect(out.memoHit).toBe(false);
    expect(out.usage.estimated).toBe(false);
    expect(out.usage.outputTokens).toBeGreaterThan(20);
    const price = new PriceTable().cost('gpt-4o-mini', out.usage.inputTokens, out.usage.outputTokens).usd;
    expect(out.usage.costUsd).toBeCloseTo(price, 12);
    expect(out.usage.costUsd).toBeGreaterThan(0);
    expect(events[0]).toBe('attempt');
    expect(events.at(-1)).toBe('completed');
    expect(events.filter((x) => x === 'delta').length).toBeGreaterThan(10);
    const cp = env.store.getCheckpoint(out.checkpointId);
    expect(env.store.getBlob(cp.outputHash!)).toBe(expected);
    expect(env.store.partial(env.session.id, 'map:0')).toBeNull();
  });

  it('never requests a completed step again (memo)', async () => {
    env = await setup({ words: WORDS });
    const first = await runner(env).run(spec(env));
    const again = await runner(env).run(spec(env, { stepKey: 'map:0-again' }));
    expect(again).toMatchObject({ memoHit: true, output: first.output, checkpointId: first.checkpointId, attempts: 0 });
    expect(env.sim.log.completions()).toHaveLength(1);
    const other = await runner(env).run(spec(env, { stepKey: 'map:1', parameters: { temperature: 0.5 } }));
    expect(other.memoHit).toBe(false);
    expect(env.sim.log.completions()).toHaveLength(2);
  });

  const transient: Array<[string, Fault]> = [
    ['500', { kind: 'server_error' }],
    ['503', { kind: 'server_error', status: 503 }],
    ['connection reset mid-stream', { kind: 'drop', afterChunks: 6 }],
    ['stall', { kind: 'stall', afterChunks: 6 }],
    ['no terminal event', { kind: 'no_done', afterChunks: 6 }],
    ['malformed chunk', { kind: 'malformed', afterChunks: 6 }],
  ];
  for (const [name, fault] of transient) {
    it(`retries after ${name}, keeps the partial as a draft, and ends with the clean answer`, async () => {
      env = await setup({ words: WORDS, faults: [{ fault }] });
      const clock = new ManualClock();
      const r = runner(env, { clock, stallMs: 300, retry: { random: () => 0.5 } });
      const waits: EngineError[] = [];
      r.on('waiting', (w) => waits.push(w as unknown as EngineError));
      const out = await r.run(spec(env));
      expect(out.output).toBe(expected);
      expect(out.attempts).toBe(2);
      expect(waits).toHaveLength(1);
      expect(clock.sleeps).toEqual([500]); // full jitter: random 0.5 × base 1 s
      const [failed] = env.sim.log.completions();
      const sentBefore = RequestLog.contentText(failed!);
      const drafts = env.store.headPath(env.session.id).filter((c) => c.kind === 'interrupted');
      if (sentBefore.length > 0) {
        expect(drafts).toHaveLength(1);
        expect(env.store.getBlob(drafts[0]!.outputHash!)).toBe(sentBefore);
      } else {
        expect(drafts).toHaveLength(0);
      }
      expect(headKinds(env).at(-1)).toBe('map');
    });
  }

  it('401 and 403 stop at once without retrying', async () => {
    for (const kind of ['unauthorized', 'forbidden'] as const) {
      env = await setup({ words: WORDS, faults: [{ fault: { kind } }] });
      const r = runner(env);
      const failed: EngineError[] = [];
      r.on('failed', (f) => failed.push(f.error));
      await expect(r.run(spec(env))).rejects.toMatchObject({ category: 'auth' });
      expect(failed).toHaveLength(1);
      expect(env.sim.log.completions()).toHaveLength(1);
      await env.close();
      env = null;
    }
  });

  it('404 model stops at once and lists the available models', async () => {
    env = await setup({ words: WORDS, models: ['cairn-simulator', 'other-model'] });
    const r = runner(env, {}, 'missing-model');
    const err = await r.run(spec(env)).catch((e: EngineError) => e);
    expect(err).toMatchObject({ category: 'model_not_found', availableModels: ['cairn-simulator', 'other-model'] });
    expect(env.sim.log.completions()).toHaveLength(1);
  });

  it('400 context length: shrinks once and retries, else fails with the reason', async () => {
    env = await setup({ words: WORDS, contextTokens: 60 });
    const long = userMessages(' More text.'.repeat(20));
    let shrinks = 0;
    const shrink = (msgs: StepSpec['messages']) => {
      shrinks += 1;
      return msgs.map((m) => ({ ...m, content: m.content.slice(0, 120) }));
    };
    const out = await runner(env).run(spec(env, { messages: long, shrink }));
    expect(shrinks).toBe(1);
    expect(out.output.length).toBeGreaterThan(0);
    expect(env.sim.log.completions().map((e) => e.status)).toEqual([400, 200]);

    const tooBig = (msgs: StepSpec['messages']) => msgs;
    await expect(runner(env).run(spec(env, { stepKey: 'map:1', messages: userMessages(' Other.'.repeat(30)), shrink: tooBig })))
      .rejects.toMatchObject({ category: 'context_length' });
    await expect(runner(env).run(spec(env, { stepKey: 'map:2', messages: userMessages(' Third.'.repeat(30)) })))
      .rejects.toMatchObject({ category: 'context_length', message: expect.stringContaining('too long') });
  });

  it('429 honours Retry-After, shown as a wait with its end time', async () => {
    env = await setup({ words: WORDS, faults: [{ fault: { kind: 'rate_limit', retryAfterSeconds: 42 } }] });
    const clock = new ManualClock();
    const gate = new RateLimitGate(clock);
    const r = runner(env, { clock, gate });
    const waits: Array<{ untilMs: number; source: string }> = [];
    r.on('waiting', (w) => waits.push(w));
    const start = clock.now();
    const out = await r.run(spec(env));
    expect(out.output).toBe(expected);
    expect(clock.sleeps).toEqual([42_000]);
    expect(waits).toEqual([expect.objectContaining({ untilMs: start + 42_000, source: 'rate-limit-gate' })]);
  });

  it('429 without Retry-After backs off with full jitter', async () => {
    env = await setup({ words: WORDS, faults: [{ fault: { kind: 'rate_limit' }, times: 3 }] });
    const clock = new ManualClock();
    const r = runner(env, { clock, gate: new RateLimitGate(clock), retry: { random: () => 0.5 } });
    await r.run(spec(env));
    expect(clock.sleeps).toEqual([500, 1_000, 2_000]);
  });

  it('a 429 seen by one worker holds back the other workers of the session', async () => {
    env = await setup({ words: 10, faults: [{ fault: { kind: 'rate_limit', retryAfterMs: 400 }, match: { contains: 'worker A' } }] });
    const gate = new RateLimitGate(realClock);
    const a = runner(env, { clock: realClock, gate });
    const b = runner(env, { clock: realClock, gate });
    const bWaits: string[] = [];
    b.on('waiting', (w) => bWaits.push(w.source));
    let bRun: Promise<unknown> | null = null;
    a.on('waiting', () => {
      bRun ??= b.run(spec(env!, { stepKey: 'map:b', messages: userMessages(' worker B') }));
    });
    await a.run(spec(env, { stepKey: 'map:a', messages: userMessages(' worker A') }));
    await bRun;
    expect(bWaits).toEqual(['rate-limit-gate']);
    const log = env.sim.log.completions();
    const limited = log.find((e) => e.status === 429)!;
    const bReq = log.find((e) => e.requestKey !== limited.requestKey)!;
    expect(Date.parse(bReq.time) - Date.parse(limited.time)).toBeGreaterThanOrEqual(350);
  });

  it('gives up after maxAttempts with a resumable error', async () => {
    env = await setup({ words: WORDS, faults: [{ fault: { kind: 'server_error' }, times: 3 }] });
    const err = await runner(env, { retry: { maxAttempts: 3 } }).run(spec(env)).catch((e: EngineError) => e);
    expect(err).toMatchObject({ category: 'transient', code: 'attempts_exhausted', retryable: true, message: expect.stringContaining('after 3 attempts') });
    expect(env.sim.log.completions()).toHaveLength(3);
  });

  it('accepts [DONE] without a finish_reason as the terminal event', async () => {
    env = await setup({ words: WORDS, faults: [{ fault: { kind: 'no_finish_reason' } }] });
    const out = await runner(env).run(spec(env));
    expect(out).toMatchObject({ output: expected, finishReason: null, attempts: 1 });
    expect(env.sim.log.completions()[0]).toMatchObject({ done: true, terminal: true });
  });

  it('counts usage with the tokenizer, marked estimated, when the provider sends none', async () => {
    env = await setup({ words: WORDS, faults: [{ fault: { kind: 'no_usage' } }] });
    const out = await runner(env).run(spec(env));
    expect(out.usage.estimated).toBe(true);
    expect(out.usage.outputTokens).toBeGreaterThan(20);
    expect(out.usage.inputTokens).toBeGreaterThan(20);
  });

  it('retries without stream_options when the provider rejects it', async () => {
    env = await setup({ words: WORDS, faults: [{ fault: { kind: 'reject_stream_options' } }] });
    const client = simClient(env.sim);
    const out = await new StepRunner({ store: env.store, client }).run(spec(env));
    expect(out.output).toBe(expected);
    expect(out.usage.estimated).toBe(true);
    expect(client.supportsStreamUsage).toBe(false);
    expect(env.sim.log.completions().map((e) => e.status)).toEqual([400, 200]);
  });

  it('refuses a call that would exceed the session budget, before sending it', async () => {
    env = await setup({ words: WORDS, models: ['gpt-4o'] });
    const budget = new SessionBudget(0.0001);
    const err = await runner(env, { budget }, 'gpt-4o').run(spec(env)).catch((e: EngineError) => e);
    expect(err).toMatchObject({ category: 'budget', code: 'budget_exceeded' });
    expect(env.sim.log.completions()).toHaveLength(0);
    const roomy = new SessionBudget(1);
    const out = await runner(env, { budget: roomy }, 'gpt-4o').run(spec(env));
    expect(roomy.spentUsd).toBeCloseTo(out.usage.costUsd, 12);
  });

  it('pauses on a disk error without retrying', async () => {
    env = await setup({ words: WORDS });
    const store = env.store;
    const failing: StepStore = {
      appendStreamPart: () => {
        throw new StoreError('disk_full', 'The disk is full.');
      },
      partial: (s, k) => store.partial(s, k),
      completeStep: (s, i) => store.completeStep(s, i),
      memoGet: (k) => store.memoGet(k),
      appendCheckpoint: (s, c) => store.appendCheckpoint(s, c),
      stepOnHeadPath: (s, k, key) => store.stepOnHeadPath(s, k, key),
    };
    const err = await runner(env, { store: failing, flushMs: 0 }).run(spec(env)).catch((e: EngineError) => e);
    expect(err).toMatchObject({ category: 'disk', code: 'disk_full' });
    expect(env.sim.log.completions()).toHaveLength(1);
  });
});

describe('cancellation and resume', () => {
  async function interrupted(policyWords = 60): Promise<{ e: TestEnv; partial: string; full: string }> {
    const e = await setup({ words: policyWords, tokensPerSecond: 100 });
    const controller = new AbortController();
    const r = runner(e, { clock: realClock });
    setTimeout(() => controller.abort(), 250);
    await expect(r.run(spec(e), controller.signal)).rejects.toMatchObject({ category: 'cancelled' });
    const partial = e.store.partial(e.session.id, 'map:0');
    const full = generateReply(userMessages(), { words: policyWords });
    expect(partial).not.toBeNull();
    expect(partial!.text.length).toBeGreaterThan(0);
    expect(full.startsWith(partial!.text)).toBe(true);
    expect(partial!.text.length).toBeLessThan(full.length);
    return { e, partial: partial!.text, full };
  }

  it('cancelling flushes the partial and leaves the step resumable; restart gives the clean answer and keeps the draft once', async () => {
    const { e, partial, full } = await interrupted();
    env = e;
    e.sim.configure({ tokensPerSecond: 0 });
    // A resume that dies again before anything new arrives must not add a second draft.
    e.sim.faults.next({ kind: 'unauthorized' });
    await expect(runner(e).run(spec(e))).rejects.toMatchObject({ category: 'auth' });
    const out = await runner(e, { resumePolicy: 'restart' }).run(spec(e));
    expect(out.output).toBe(full);
    const drafts = e.store.headPath(e.session.id).filter((c) => c.kind === 'interrupted');
    expect(drafts).toHaveLength(1);
    expect(e.store.getBlob(drafts[0]!.outputHash!)).toBe(partial);
  });

  it('continue sends the partial back and stitches the repeated overlap away', async () => {
    const { e, partial, full } = await interrupted();
    env = e;
    e.sim.configure({ tokensPerSecond: 0 });
    const out = await runner(e, { resumePolicy: 'continue' }).run(spec(e));
    expect(out.output).toBe(full);
    const last = e.sim.log.completions().at(-1)!;
    const repeated = RequestLog.contentText(last);
    expect(overlapLength(partial, repeated)).toBeGreaterThan(10); // the model did repeat itself
    // The cut attempt still shows as a draft, carrying what it cost (estimated); the answer is the stitched one.
    const drafts = e.store.headPath(e.session.id).filter((c) => c.kind === 'interrupted');
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.usage.estimated).toBe(true);
  });
});

describe('the draft of an interrupted attempt, on resume', () => {
  /** The real store, logging the writes a resumed step makes, in order. */
  function loggingStore(e: TestEnv, log: string[]): StepStore {
    const store = e.store;
    return {
      appendStreamPart: (s, k, a, t) => {
        log.push(`part ${a}`);
        store.appendStreamPart(s, k, a, t);
      },
      partial: (s, k) => store.partial(s, k),
      completeStep: (s, i) => {
        log.push('complete');
        return store.completeStep(s, i);
      },
      memoGet: (k) => store.memoGet(k),
      appendCheckpoint: (s, c) => {
        log.push(c.kind);
        return store.appendCheckpoint(s, c);
      },
      stepOnHeadPath: (s, k, key) => store.stepOnHeadPath(s, k, key),
    };
  }

  function killedAttempt(e: TestEnv): void {
    // What a killed process leaves behind: persisted parts of attempt 1, no completion.
    e.store.appendStreamPart(e.session.id, 'map:0', 1, 'Findings: the supplier shall deliver the report within');
  }

  // The draft's cost estimate loads the tokenizer (100-700 ms, blocking): it is kept before the call, never
  // while an answer streams, where everything that arrived meanwhile would wait off the disk (issue 13).
  it('without a spending limit, the draft is kept before the call too', async () => {
    env = await setup({ words: WORDS, models: ['gpt-4o-mini'] });
    killedAttempt(env);
    const log: string[] = [];
    const r = runner(env, { store: loggingStore(env, log), clock: realClock }, 'gpt-4o-mini');
    r.on('attempt', () => log.push('attempt'));
    r.on('delta', () => log.push('delta'));
    const out = await r.run(spec(env));
    expect(out.output).toBe(expected);
    const first = (x: string) => log.indexOf(x);
    expect(first('interrupted')).toBeLessThan(first('attempt'));
    expect(first('attempt')).toBeLessThan(first('delta'));
    expect(first('delta')).toBeLessThan(first('part 2'));
    expect(env.sim.log.completions()).toHaveLength(1);
    expect(log.filter((x) => x === 'interrupted')).toHaveLength(1);
    const drafts = env.store.headPath(env.session.id).filter((c) => c.kind === 'interrupted');
    expect(drafts).toHaveLength(1);
    expect(env.store.getBlob(drafts[0]!.outputHash!)).toBe('Findings: the supplier shall deliver the report within');
    expect(drafts[0]!.usage).toMatchObject({ estimated: true });
    expect(drafts[0]!.usage.costUsd).toBeGreaterThan(0);
    expect(headKinds(env).slice(-2)).toEqual(['interrupted', 'map']);
  });

  it('with a spending limit, the draft is kept (and charged) before the call', async () => {
    env = await setup({ words: WORDS, models: ['gpt-4o-mini'] });
    killedAttempt(env);
    const log: string[] = [];
    const r = runner(env, { store: loggingStore(env, log), budget: new SessionBudget(10, 0) }, 'gpt-4o-mini');
    r.on('attempt', () => log.push('attempt'));
    await r.run(spec(env));
    expect(log.slice(0, 2)).toEqual(['interrupted', 'attempt']);
  });

  it('an attempt that fails before its first token still keeps the draft, once', async () => {
    env = await setup({ words: WORDS, models: ['gpt-4o-mini'] });
    killedAttempt(env);
    env.sim.setFaults([{ fault: { kind: 'server_error' }, times: 1 }]);
    const log: string[] = [];
    const r = runner(env, { store: loggingStore(env, log), clock: new ManualClock(), retry: { random: () => 0 } }, 'gpt-4o-mini');
    await r.run(spec(env));
    expect(log.filter((x) => x === 'interrupted')).toHaveLength(1);
    expect(log.indexOf('interrupted')).toBeLessThan(log.indexOf('part 3'));
    expect(env.sim.log.completions()).toHaveLength(2);
  });

  it('a store that cannot keep the draft fails the step instead of letting the partial be overwritten', async () => {
    env = await setup({ words: WORDS, models: ['gpt-4o-mini'] });
    killedAttempt(env);
    const store = env.store;
    const failing: StepStore = {
      ...loggingStore(env, []),
      appendCheckpoint: () => {
        throw new StoreError('disk_full', 'The disk is full.');
      },
    };
    const err = await runner(env, { store: failing, clock: realClock }, 'gpt-4o-mini').run(spec(env)).catch((e: EngineError) => e);
    expect(err).toMatchObject({ category: 'disk' });
    expect(store.partial(env.session.id, 'map:0')?.attempt).toBe(1);
    expect(store.partial(env.session.id, 'map:0')?.text).toBe('Findings: the supplier shall deliver the report within');
  });
});

describe('what interrupted attempts cost', () => {
  it('a dropped attempt\'s estimated cost is recorded on its draft and in the session\'s spend', async () => {
    env = await setup({ words: WORDS, models: ['gpt-4o-mini'] });
    env.sim.setFaults([{ fault: { kind: 'drop', afterChunks: 10 }, times: 1 }]);
    const out = await runner(env, {}, 'gpt-4o-mini').run(spec(env));
    const draft = env.store.headPath(env.session.id).find((c) => c.kind === 'interrupted')!;
    expect(draft.usage.estimated).toBe(true);
    expect(draft.usage.outputTokens).toBeGreaterThan(0);
    expect(draft.usage.costUsd).toBeGreaterThan(0);
    const spent = env.store.getSession(env.session.id).usage.costUsd;
    expect(spent).toBeCloseTo(out.usage.costUsd + draft.usage.costUsd, 12);
  });

  it('after a crash, the killed attempt is charged once, and the budget sees it', async () => {
    env = await setup({ words: WORDS, models: ['gpt-4o-mini'] });
    // What a killed process leaves behind: persisted parts of attempt 1, no completion.
    env.store.appendStreamPart(env.session.id, 'map:0', 1, 'Findings: the supplier shall deliver the report within');
    const budget = new SessionBudget(10, 0);
    await runner(env, { budget }, 'gpt-4o-mini').run(spec(env));
    const drafts = env.store.headPath(env.session.id).filter((c) => c.kind === 'interrupted');
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.usage.costUsd).toBeGreaterThan(0);
    const spent = env.store.getSession(env.session.id).usage.costUsd;
    expect(budget.spentUsd).toBeCloseTo(spent, 12);
  });
});
