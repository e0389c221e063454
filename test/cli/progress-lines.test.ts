// Progress without a terminal: a plain line per step in words; the step keys
// only in --json and --verbose; --quiet prints only the result; FORCE_COLOR
// colours even a pipe, NO_COLOR (the helpers' default) never.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { runCli, simArgs, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('lines', 3);
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ words: 15 });
  ws.sims.push(sim);
});
const run = (name: string, extra: string[], env?: Record<string, string | undefined>) =>
  runCli(['run', ws.doc, '--task', 'Summarise', '--chunk-tokens', '300', '--concurrency', '1', ...simArgs(sim.baseURL), ...extra], { dataDir: join(ws.root, name), ...(env ? { env } : {}) });

const ESC = '\u001b[';

describe('progress lines', () => {
  it('one line per step, in words, with tokens and time; no keys, no bar, no escapes', async () => {
    const r = await run('plain', []);
    expect(r.code, r.stderr).toBe(0);
    const steps = r.stdout.split('\n').filter((l) => l.startsWith('✓'));
    expect(steps[0]).toBe('✓ Read contract.md');
    expect(steps[1]).toMatch(/^✓ Split into \d+ chunks$/);
    expect(steps[2]).toMatch(/^✓ Chunk 1\/\d+ · § 1\.1 \(\d+(\.\d)?k? tokens, \d+\.\d s\)$/);
    expect(steps.at(-2)).toMatch(/^✓ Combining findings \(/);
    expect(steps.at(-1)).toBe('✓ Report');
    expect(r.stdout).not.toMatch(/map:\d|reduce:|report:|steps \|/);
    expect(r.stdout.includes(ESC)).toBe(false);
  });

  it('--verbose adds the keys, --json carries labels as data beside the keys', async () => {
    const verbose = await run('verbose', ['--verbose']);
    expect(verbose.stdout).toMatch(/✓ Chunk 1\/\d+ · § 1\.1 \(.*\)\s+map:0:[0-9a-f]{12}:[0-9a-f]{8}/);
    const json = await run('json', ['--json']);
    const step = json.events.find((e) => e.type === 'step' && e.kind === 'map');
    expect(step).toMatchObject({ stepKey: expect.stringMatching(/^map:0:/), label: { kind: 'passage', index: 1, total: expect.any(Number), label: '§ 1.1' } });
    expect(json.events.find((e) => e.type === 'step' && e.kind === 'report')).toMatchObject({ label: { kind: 'report', index: null, total: null, label: null } });
  });

  it('the timeline names steps in words; keys with --verbose', async () => {
    const dir = join(ws.root, 'timeline');
    const r = await runCli(['run', ws.doc, '--task', 'Summarise', '--json', ...simArgs(sim.baseURL)], { dataDir: dir });
    const id = String(r.events.find((e) => e.type === 'session')?.id);
    const plain = await runCli(['timeline', id], { dataDir: dir });
    expect(plain.stdout).toMatch(/^▶ [0-9A-Z]{26} {2}\d\d:\d\d:\d\d {2}Report /m);
    expect(plain.stdout).toMatch(/Chunk 1 · § 1\.1 /);
    expect(plain.stdout).toMatch(/Combining findings /);
    expect(plain.stdout).not.toMatch(/map:\d|reduce:final/);
    const verbose = await runCli(['--verbose', 'timeline', id], { dataDir: dir });
    expect(verbose.stdout).toMatch(/Chunk 1 · § 1\.1 .* map:0:[0-9a-f]{12}/);
  });

  it('--quiet prints the report and the summary only', async () => {
    const r = await run('quiet', ['--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/✓|Session /);
    expect(r.stdout).toMatch(/Findings:[\s\S]*Done: /);
  });

  it('FORCE_COLOR colours a pipe; --no-color wins over it', async () => {
    const forced = await run('forced', [], { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(`${ESC}32m✓`);
    const off = await run('forced-off', ['--no-color'], { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(off.stdout.includes(ESC)).toBe(false);
  });
});
