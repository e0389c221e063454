// Exit codes and the messages that go with them, through the real CLI:
// 2 for bad input (saying which input and why), 0 after a 429 was waited out,
// 4 when every attempt failed (and the session resumes to 0 once the
// provider recovers).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { useCliWorkspace, jsonOf, lastEvent, runCli, sessionIdOf, simArgs, writeSettings } from './helpers.ts';

const ws = useCliWorkspace('exit', 2);

/** Each test has its own simulator, so the tests can run side by side without taking each other's faults. */
async function simulator(): Promise<Simulator> {
  const sim = await startSimulator({ words: 30 });
  ws.sims.push(sim);
  return sim;
}

const data = (name: string) => join(ws.root, name);

describe.concurrent('usage and bad input exit 2 with a message that says which and why', () => {
  it('an unknown file type, a missing file, a bad session id, an unknown command', async () => {
    const sim = await simulator();
    const odd = join(ws.root, 'notes.xyz');
    writeFileSync(odd, 'plain words');
    const dir = data('bad-input');
    const cases: Array<{ args: string[]; message: RegExp }> = [
      { args: ['run', odd, '--task', 'Summarise', ...simArgs(sim.baseURL)], message: /notes\.xyz has an unsupported file type \.xyz[\s\S]*Cairn reads .*\.pdf/ },
      { args: ['run', join(ws.root, 'nowhere.pdf'), '--task', 'Summarise', ...simArgs(sim.baseURL)], message: /nowhere\.pdf was not found at / },
      { args: ['show', '../etc'], message: /"\.\.\/etc" is not a valid session id[\s\S]*26-character/ },
      { args: ['frobnicate'], message: /unknown command 'frobnicate'/ },
      { args: ['run', ws.doc, ...simArgs(sim.baseURL)], message: /Say what to do with --task/ },
    ];
    const results = await Promise.all(cases.map((c) => runCli(c.args, { dataDir: dir })));
    for (const [i, r] of results.entries()) {
      expect(r.code, `${cases[i]!.args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, cases[i]!.args.join(' ')).toMatch(cases[i]!.message);
      expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack traces
    }
    // With --json the same failure is one JSON object on stdout.
    const json = await runCli(['show', '../etc', '--json'], { dataDir: dir });
    expect(json.code).toBe(2);
    expect(jsonOf(json)).toMatchObject({ type: 'error', exitCode: 2, code: 'invalid_id' });
    expect(sim.log.entries).toEqual([]);
  });
});

describe.concurrent('provider faults', () => {
  it('a 429 with Retry-After is waited out, shown as a countdown, and the run ends 0', async () => {
    const sim = await simulator();
    sim.faults.next({ kind: 'rate_limit', retryAfterSeconds: 1 });
    const r = await runCli(['run', ws.doc, '--task', 'Summarise', '--concurrency', '1', '--chunk-tokens', '400', ...simArgs(sim.baseURL)], { dataDir: data('429') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/waiting 1s: .*[Rr]ate limit/);
    expect(r.stdout).toMatch(/Done: \d+\/\d+ steps/);
    const statuses = sim.log.completions().map((e) => e.status);
    expect(statuses[0]).toBe(429);
    expect(statuses.slice(1).every((s) => s === 200)).toBe(true);
    // The retry waited for the time the server asked for.
    const [limited, retried] = sim.log.completions();
    expect(Date.parse(retried!.time) - Date.parse(limited!.time)).toBeGreaterThanOrEqual(950);
  });

  it('attempts exhausted (500 on every request) pauses with exit 4; after the provider recovers, resume ends 0', async () => {
    const sim = await simulator();
    const dir = data('500');
    mkdirSync(dir, { recursive: true });
    writeSettings(dir, { retry: { maxAttempts: 2, baseMs: 20, capMs: 100, stallMs: 60_000 } });
    sim.setFaults([{ fault: { kind: 'server_error' }, times: null }]);
    const r = await runCli(['run', ws.doc, '--task', 'Summarise', '--concurrency', '2', '--chunk-tokens', '400', ...simArgs(sim.baseURL), '--json'], { dataDir: dir });
    expect(r.code, r.stderr).toBe(4);
    const end = lastEvent(r);
    expect(end).toMatchObject({ type: 'paused', status: 'paused', exitCode: 4, reason: { code: 'attempts_exhausted' } });
    expect(String((end.reason as { hint: string }).hint)).toMatch(/Resume/);
    const id = sessionIdOf(r);
    const chunks = jsonOf<{ chunks: unknown[] }>(await runCli(['show', id, '--json'], { dataDir: dir })).chunks.length;
    expect(sim.log.completions().length, 'two attempts per passage').toBe(chunks * 2);
    expect(sim.log.completions().every((e) => e.status === 500)).toBe(true);

    sim.faults.clear();
    const resumed = await runCli(['resume', id, '--json'], { dataDir: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(lastEvent(resumed)).toMatchObject({ type: 'done', exitCode: 0 });
  });
});
