// Interruptions of the real CLI mid-stream: SIGKILL (the loss window: what a
// crash can cost), and Ctrl-C / SIGTERM (everything received is kept, the
// session is left resumable, exit 130).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RequestLog, startSimulator, type RequestLogEntry, type Simulator } from '../../electron/engine/simulator/index.ts';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import type { Settings } from '../../shared/settings.ts';
import { jsonOf, lastEvent, runCli, simArgs, sleep, startCli, tempDir, writeSettings, type CliProcess } from './helpers.ts';

const FLUSH_MS = 250; // the default checkpoint interval, which the CLI uses
/** One flush (an fsync'd SQLite insert) plus loopback delivery and event-loop jitter on a shared 2-core machine. */
const ONE_FLUSH_MS = 150;

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
  it('has on disk everything the simulator sent up to 250 ms plus one flush before each kill', async () => {
    const env = await setup({ words: 500, tokensPerSecond: 200 });
    let proc = startCli(['run', env.doc, '--task', 'Find every obligation', ...env.args], { dataDir: env.dir });
    const id = String((await proc.waitFor((e) => e.type === 'session')).id);
    for (const [round, pieces] of [[1, 100], [2, 130]] as const) {
      const before = env.sim.log.completions().length;
      const entry = await streamedAtLeast(env.sim, before, pieces, proc);
      const killAt = Date.now();
      proc.child.kill('SIGKILL');
      const r = await proc.exited;
      expect(r.signal).toBe('SIGKILL');
      const stepKey = r.events.findLast((e) => e.type === 'attempt')?.stepKey;
      expect(typeof stepKey).toBe('string');

      const partial = partialOf(env.dir, id, String(stepKey));
      const persisted = partial?.text ?? '';
      const sentAll = RequestLog.contentText(entry);
      const mustHave = RequestLog.contentText(entry, killAt - FLUSH_MS - ONE_FLUSH_MS);
      expect(mustHave.length, `round ${round}: the kill came well into the stream`).toBeGreaterThan(0);
      expect(sentAll.startsWith(persisted), `round ${round}: what is on disk is exactly what was sent`).toBe(true);
      expect(persisted.length, `round ${round}: text sent more than ${FLUSH_MS}+${ONE_FLUSH_MS} ms before the kill is on disk`)
        .toBeGreaterThanOrEqual(mustHave.length);
      expect(partial?.attempt, `round ${round}: each resume is a new attempt of the same step`).toBe(round);

      if (round === 1) {
        // `show` sees the crash's partial as an interrupted passage.
        const show = jsonOf<{ status: string; chunks: Array<{ status: string }> }>(await runCli(['show', id, '--json'], { dataDir: env.dir }));
        expect(show.status).toBe('interrupted');
        expect(show.chunks.some((c) => c.status === 'interrupted')).toBe(true);
      }
      proc = startCli(['resume', id, '--json'], { dataDir: env.dir });
    }
    env.sim.configure({ tokensPerSecond: 0 });
    const final = await proc.exited;
    expect(final.code, final.stderr).toBe(0);
  });
});

describe.concurrent('Ctrl-C and SIGTERM', () => {
  it('keep what was received, leave the session resumable and exit 130; resume finishes', async () => {
    // No periodic flush within the test's reach: whatever is on disk was written on the way out.
    const env = await setup({ words: 400, tokensPerSecond: 250 }, { checkpointIntervalMs: 10_000 });
    let proc = startCli(['run', env.doc, '--task', 'Find every obligation', ...env.args], { dataDir: env.dir });
    const id = String((await proc.waitFor((e) => e.type === 'session')).id);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const before = env.sim.log.completions().length;
      const entry = await streamedAtLeast(env.sim, before, 60, proc);
      const signalAt = Date.now();
      proc.child.kill(signal);
      const r = await proc.exited;
      expect(r.code, `${signal}: ${r.stderr}`).toBe(130);
      expect(lastEvent(r)).toMatchObject({ type: 'paused', exitCode: 130, status: 'paused', reason: { code: 'stopped' } });
      const stepKey = String(r.events.findLast((e) => e.type === 'attempt')?.stepKey);

      // Everything received before the signal is kept: flushed on the way out, not left to the next periodic flush.
      const persisted = partialOf(env.dir, id, stepKey)?.text ?? '';
      const sent = RequestLog.contentText(entry);
      const mustHave = RequestLog.contentText(entry, signalAt - 200);
      expect(mustHave.length).toBeGreaterThan(0);
      expect(sent.startsWith(persisted), signal).toBe(true);
      expect(persisted.length, `${signal}: the partial is checkpointed`).toBeGreaterThanOrEqual(mustHave.length);

      if (signal === 'SIGINT') {
        const show = jsonOf<{ status: string; reason: { message: string } | null }>(await runCli(['show', id, '--json'], { dataDir: env.dir }));
        expect(show.status).toBe('paused');
        expect(show.reason?.message).toMatch(/saved/);
      }
      proc = startCli(['resume', id, '--json'], { dataDir: env.dir });
    }
    env.sim.configure({ tokensPerSecond: 0 });
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
