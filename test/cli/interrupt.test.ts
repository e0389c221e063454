// Interruptions of the real CLI mid-stream: SIGKILL (the loss window: what a
// crash can cost), and Ctrl-C / SIGTERM (everything received is kept, the
// session is left resumable, exit 130). Kills are placed by what the CLI
// reported (`saved` events: writes the store acknowledged; `delta` events:
// text received), never by the clock; `npm run bench` measures the time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RequestLog, startSimulator, type RequestLogEntry, type Simulator } from '../../electron/engine/simulator/index.ts';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import type { Settings } from '../../shared/settings.ts';
import { jsonOf, lastEvent, runCli, simArgs, sleep, startCli, tempDir, writeSettings, type CliEvent, type CliProcess } from './helpers.ts';

/** 16-20 s of stream per step: no step can end before its kill, however late a loaded machine lets the test read the CLI. */
const LONG_ANSWERS = 4_000;

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function setup(sim: { words: number; tokensPerSecond: number }, settings?: Partial<Settings>): Promise<{ dir: string; doc: string; sim: Simulator; args: string[] }> {
  const t = tempDir('interrupt');
  cleanups.push(t.cleanup);
  const s = await startSimulator(sim);
  cleanups.push(() => s.close());
  const doc = join(t.dir, 'contract.md');
  writeFileSync(doc, contractMarkdown(4));
  const dataDir = join(t.dir, 'data');
  if (settings) {
    mkdirSync(dataDir);
    writeSettings(dataDir, settings);
  }
  return { dir: dataDir, doc, sim: s, args: ['--chunk-tokens', '300', '--concurrency', '1', ...simArgs(s.baseURL), '--json'] };
}

/** Waits until the simulator has streamed `pieces` pieces of the process's next request; returns that log entry. */
async function streamedAtLeast(sim: Simulator, before: number, pieces: number, proc: CliProcess): Promise<RequestLogEntry> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const entry = sim.log.completions()[before];
    if (entry && entry.content.length >= pieces) return entry;
    if (proc.child.exitCode !== null || Date.now() > deadline) throw new Error(`the CLI never streamed ${pieces} pieces; events: ${proc.events.length}`);
    await sleep(5);
  }
}

function partialOf(dataDir: string, sessionId: string, stepKey: string): { text: string; attempt: number } | null {
  const reader = CheckpointStore.open({ dataDir });
  try {
    return reader.partial(sessionId, stepKey);
  } finally {
    reader.close();
  }
}

describe('SIGKILL mid-stream (loss window)', () => {
  it('has on disk everything the store acknowledged before each kill, on the first attempt and on each resume', async () => {
    const env = await setup({ words: LONG_ANSWERS, tokensPerSecond: 200 });
    let proc = startCli(['run', env.doc, '--task', 'Find every obligation', ...env.args], { dataDir: env.dir });
    const id = String((await proc.waitFor((e) => e.type === 'session')).id);
    for (const round of [1, 2, 3]) {
      // Killed after this attempt's third acknowledged write: well into its stream.
      let writes = 0;
      const ack = await proc.waitFor((e) => e.type === 'saved' && e.attempt === round && ++writes >= 3);
      proc.child.kill('SIGKILL');
      const r = await proc.exited;
      expect(r.signal).toBe('SIGKILL');
      const entry = env.sim.log.completions().at(-1) as RequestLogEntry;

      const partial = partialOf(env.dir, id, String(ack.stepKey));
      const persisted = partial?.text ?? '';
      expect(partial?.attempt, `round ${round}: each resume is a new attempt of the same step`).toBe(round);
      expect(RequestLog.contentText(entry).startsWith(persisted), `round ${round}: what is on disk is exactly what was sent`).toBe(true);
      expect(persisted.length, `round ${round}: everything the store acknowledged is on disk`).toBeGreaterThanOrEqual(Number(ack.chars));
      expect(Number(ack.chars)).toBeGreaterThan(0);

      if (round === 1) {
        // `show` sees the crash's partial as an interrupted passage.
        const show = jsonOf<{ status: string; chunks: Array<{ status: string }> }>(await runCli(['show', id, '--json'], { dataDir: env.dir }));
        expect(show.status).toBe('interrupted');
        expect(show.chunks.some((c) => c.status === 'interrupted')).toBe(true);
      }
      proc = startCli(['resume', id, '--json'], { dataDir: env.dir });
    }
    env.sim.configure({ tokensPerSecond: 0, words: 100 }); // the rest quickly
    const final = await proc.exited;
    expect(final.code, final.stderr).toBe(0);
  });
});

/** The text of `stepKey`'s attempt `attempt` the CLI reported receiving, in order. */
function received(events: readonly CliEvent[], stepKey: string, attempt: number): string {
  return events.filter((e) => e.type === 'delta' && e.stepKey === stepKey && e.attempt === attempt).map((e) => String(e.text)).join('');
}

describe.concurrent('Ctrl-C and SIGTERM', () => {
  it('keep what was received, leave the session resumable and exit 130; resume finishes', async () => {
    // No periodic flush within the test's reach: whatever is on disk was written on the way out.
    const env = await setup({ words: LONG_ANSWERS, tokensPerSecond: 250 }, { checkpointIntervalMs: 10_000 });
    let proc = startCli(['run', env.doc, '--task', 'Find every obligation', ...env.args], { dataDir: env.dir });
    const id = String((await proc.waitFor((e) => e.type === 'session')).id);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const attempt = await proc.waitFor((e) => e.type === 'attempt'); // each round is a new process
      const stepKey = String(attempt.stepKey);
      let pieces = 0;
      await proc.waitFor((e) => e.type === 'delta' && e.stepKey === stepKey && e.attempt === attempt.attempt && ++pieces >= 60);
      const entry = env.sim.log.completions().at(-1) as RequestLogEntry; // concurrency 1: this attempt's request
      // What the CLI had reported receiving when the signal was sent.
      const got = received(proc.events, stepKey, Number(attempt?.attempt));
      proc.child.kill(signal);
      const r = await proc.exited;
      expect(r.code, `${signal}: ${r.stderr}`).toBe(130);
      expect(lastEvent(r)).toMatchObject({ type: 'paused', exitCode: 130, status: 'paused', reason: { code: 'stopped' } });

      // Everything received before the signal is kept: flushed on the way out, not left to the next periodic flush.
      const persisted = partialOf(env.dir, id, stepKey)?.text ?? '';
      const sent = RequestLog.contentText(entry);
      expect(got.length).toBeGreaterThan(0);
      expect(sent.startsWith(persisted), signal).toBe(true);
      expect(persisted.startsWith(got), `${signal}: the partial holds all that was received`).toBe(true);

      if (signal === 'SIGINT') {
        const show = jsonOf<{ status: string; reason: { message: string } | null }>(await runCli(['show', id, '--json'], { dataDir: env.dir }));
        expect(show.status).toBe('paused');
        expect(show.reason?.message).toMatch(/saved/);
      }
      proc = startCli(['resume', id, '--json'], { dataDir: env.dir });
    }
    env.sim.configure({ tokensPerSecond: 0, words: 100 }); // the rest quickly
    const final = await proc.exited;
    expect(final.code, final.stderr).toBe(0);
    expect(lastEvent(final)).toMatchObject({ type: 'done', exitCode: 0 });
  });

  it('says how to resume on a terminal-less stderr when not in JSON mode', async () => {
    const env = await setup({ words: 400, tokensPerSecond: 250 });
    const proc = startCli(['run', env.doc, '--task', 'Find every obligation', ...env.args.filter((a) => a !== '--json')], { dataDir: env.dir });
    await streamedAtLeast(env.sim, 0, 30, proc);
    proc.child.kill('SIGINT');
    const r = await proc.exited;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Interrupted: Stopped on request/);
    expect(r.stderr).toMatch(/Resume with: cairn resume [0-9A-Z]{26}/);
  });
});
