// Kill-and-resume through the real CLI: `cairn run` on the sample contract
// (30+ passages) is SIGKILLed at random moments, resumed with `cairn resume`
// each time, and finally left to finish. Its report must equal an
// uninterrupted run's, and the simulator (which lives in this process, so its
// log spans every CLI process) must never see a committed step again.
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { jsonOf, lastEvent, runCli, SAMPLE, sessionIdOf, simArgs, sleep, startCli, TASK, tempDir, type CliEvent, type CliProcess } from './helpers.ts';
import { seededRandom } from '../../shared/seeded-random.ts';

const CONCURRENCY = 4;
const KILLS = 10;
const SIM = { words: 24, tokensPerSecond: 160 };

/** Small seeded PRNG so a failing schedule can be replayed from the seed in the message. */
const prng = seededRandom;

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function simulator(): Promise<Simulator> {
  const sim = await startSimulator(SIM);
  cleanups.push(() => sim.close());
  return sim;
}

function runArgs(sim: Simulator): string[] {
  return ['run', SAMPLE, '--task', TASK, '--chunk-tokens', '600', '--concurrency', String(CONCURRENCY), '--resume-policy', 'restart', ...simArgs(sim.baseURL), '--json'];
}

describe('cairn run, SIGKILLed and resumed', () => {
  it('ends with the uninterrupted report and never requests a committed step again', async () => {
    const seed = Number(process.env.CAIRN_KILL_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const why = `seed ${seed} (replay with CAIRN_KILL_SEED=${seed})`;

    // The reference: one uninterrupted run in its own data dir against its own simulator, alongside the killed one.
    const refSim = await simulator();
    const ref = tempDir('ref');
    cleanups.push(ref.cleanup);
    const refRunning = runCli(runArgs(refSim), { dataDir: ref.dir });

    // The interrupted run.
    const sim = await simulator();
    const data = tempDir('killed');
    cleanups.push(data.cleanup);
    const committedAt = new Map<string, number>();
    const record = (events: CliEvent[]) => {
      for (const e of events) {
        if (e.type === 'step' && typeof e.memoKey === 'string' && !committedAt.has(e.memoKey)) committedAt.set(e.memoKey, e.readAt);
      }
    };

    let proc: CliProcess = startCli(runArgs(sim), { dataDir: data.dir });
    const first = await proc.waitFor((e) => e.type === 'session');
    const id = String(first.id);
    let kills = 0;
    let midStream = 0;
    for (let round = 0; round < KILLS; round += 1) {
      if (round % 5 === 1) {
        // Now and then anywhere: while starting, ingesting or chunking.
        await sleep(Math.floor(random() * 600));
      } else {
        await proc.waitFor((e) => e.type === 'attempt');
        await sleep(Math.floor(random() * 300));
      }
      proc.child.kill('SIGKILL');
      const r = await proc.exited;
      record(r.events);
      expect(r.signal, `round ${round}: the process died by the kill, not on its own (${why}); stderr: ${r.stderr.slice(-1500)}`).toBe('SIGKILL');
      kills += 1;
      const lastStep = r.events.findLastIndex((e) => e.type === 'step');
      if (r.events.slice(lastStep + 1).some((e) => e.type === 'delta')) midStream += 1;
      proc = startCli(['resume', id, '--json'], { dataDir: data.dir });
    }
    const final = await proc.exited;
    record(final.events);
    expect(final.code, `${why}; stderr: ${final.stderr.slice(-1500)}`).toBe(0);
    expect(lastEvent(final)).toMatchObject({ type: 'done', exitCode: 0 });
    expect(kills).toBeGreaterThanOrEqual(10);
    expect(midStream, `some kills landed while text was streaming (${why})`).toBeGreaterThan(0);

    const refRun = await refRunning;
    expect(refRun.code, refRun.stderr).toBe(0);
    const refId = sessionIdOf(refRun);
    const refShow = jsonOf<{ report: string | null; progress: { done: number; total: number } }>(await runCli(['show', refId, '--json'], { dataDir: ref.dir }));
    expect(refShow.report).toBeTruthy();
    const refKeys = new Set(refSim.log.completions().map((e) => e.requestKey));
    const chunkSteps = refRun.events.filter((e) => e.type === 'step' && e.kind === 'map').length;
    expect(chunkSteps, 'the sample makes 30+ passages at 600 tokens').toBeGreaterThanOrEqual(30);
    expect(refKeys.size).toBe(refSim.log.completions().length);

    const show = jsonOf<{ report: string | null; status: string; progress: { done: number; total: number } }>(await runCli(['show', id, '--json'], { dataDir: data.dir }));
    expect(show.status).toBe('done');
    expect(show.report, why).toBe(refShow.report);
    expect(show.progress).toMatchObject({ done: refShow.progress.done, total: refShow.progress.total });

    // No committed step was requested again after the test saw it committed.
    const requests = sim.log.completions();
    const repeats = requests.filter((e) => {
      const at = committedAt.get(e.requestKey);
      return at !== undefined && Date.parse(e.time) > at;
    });
    expect(repeats.map((e) => `${e.requestKey.slice(0, 12)} at ${e.time}`), why).toEqual([]);
    // The simulator logs each step's memo key (so the check above can bite): all but the few whose event a kill swallowed were seen.
    expect([...committedAt.keys()].every((k) => refKeys.has(k))).toBe(true);
    expect(committedAt.size).toBeGreaterThanOrEqual(refKeys.size - kills);
    // Exactly the reference's steps were asked for, and each kill can cost at most the steps in flight.
    expect(new Set(requests.map((e) => e.requestKey))).toEqual(refKeys);
    expect(requests.length, why).toBeLessThanOrEqual(refKeys.size + kills * CONCURRENCY);
    expect(requests.length, 'interrupted steps were requested again').toBeGreaterThan(refKeys.size);
  });
});
