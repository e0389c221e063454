// Issue 8 item 8: the real map-reduce pipeline over the sample contract with
// the simulator: requests, tokens, wall time. Then the same analysis in a
// child process SIGKILLed halfway through and resumed: requests repeated for
// steps that were already committed must be 0, counted from the simulator's
// log by request key (the step's memo key, sent as x-cairn-request-key).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { runSession } from '../electron/engine/pipeline/analysis.ts';
import { startSimulator, type Simulator } from '../electron/engine/simulator/index.ts';
import { SAMPLE, sessionConfig } from './lib/fixtures.ts';
import { type BenchContext, type BenchResult, fmtMs } from './lib/report.ts';
import { sleep } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children', 'analysis-child.ts');
const StepLine = z.object({ stepKey: z.string(), kind: z.string(), memoKey: z.string().nullable(), cached: z.boolean() });

interface Plain {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  wallMs: number;
  report: string | null;
}

async function uninterrupted(sim: Simulator, dir: string, chunkTokens: number): Promise<Plain> {
  const store = CheckpointStore.open({ dataDir: dir });
  try {
    const s = store.createSession({ name: 'MSA', config: sessionConfig(sim.baseURL, { documents: [SAMPLE], chunkTokens }) });
    const before = sim.log.completions().length;
    const t = Date.now();
    const out = await runSession(s.id, { store, owner: `bench-${process.pid}` });
    const wallMs = Date.now() - t;
    if (out.status !== 'done') throw new Error(`map-reduce: the analysis ended ${out.status}: ${out.reason?.message ?? ''}`);
    const usage = store.getSession(s.id).usage;
    return { requests: sim.log.completions().length - before, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, wallMs, report: out.report };
  } finally {
    store.close();
  }
}

export async function mapReduce(ctx: BenchContext): Promise<BenchResult> {
  const chunkTokens = ctx.quick ? 3_000 : 1_500;
  // The CLI's simulator speed, so wall time and the kill point look like a real run.
  const sim = await startSimulator({ words: 90, tokensPerSecond: 400 });
  try {
    const plain = await withTempDir('mapreduce', (dir) => uninterrupted(sim, dir, chunkTokens));
    ctx.log(`uninterrupted: ${plain.requests} requests in ${plain.wallMs} ms`);

    return await withTempDir('mapreduce-kill', async (dir) => {
      const store = CheckpointStore.open({ dataDir: dir });
      try {
        const s = store.createSession({ name: 'MSA (killed)', config: sessionConfig(sim.baseURL, { documents: [SAMPLE], chunkTokens }) });
        const firstSeq = sim.log.completions().length;
        const t = Date.now();
        const child = spawn(process.execPath, [CHILD, dir, s.id], { stdio: ['ignore', 'pipe', 'pipe'] });
        const committed = new Set<string>();
        let stderr = '';
        let buffered = '';
        child.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
        });
        child.stdout.on('data', (b: Buffer) => {
          buffered += b.toString();
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = StepLine.safeParse(JSON.parse(buffered.slice(0, nl)));
            buffered = buffered.slice(nl + 1);
            if (line.success && line.data.memoKey) committed.add(line.data.memoKey);
          }
        });
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        const half = Math.max(1, Math.floor(plain.requests / 2));
        const deadline = Date.now() + 60_000;
        let childEnded = false;
        void exited.then(() => {
          childEnded = true;
        });
        while (committed.size < half) {
          if (childEnded) throw new Error(`map-reduce: the child ended before halfway. ${stderr}`);
          if (Date.now() > deadline) throw new Error(`map-reduce: the child made no progress. ${stderr}`);
          await sleep(2);
        }
        child.kill('SIGKILL');
        await exited;
        const killedAfterMs = Date.now() - t;
        const atKill = sim.log.completions().slice(firstSeq);
        // What the store holds is the truth (a commit can land after its line was printed but before the parent read it).
        const committedKeys = new Set(atKill.map((e) => e.requestKey).filter((k) => store.memoGet(k) !== null));
        const committedAtKill = committedKeys.size;

        const t2 = Date.now();
        const out = await runSession(s.id, { store, owner: `bench-resume-${process.pid}` });
        const resumeWallMs = Date.now() - t2;
        if (out.status !== 'done') throw new Error(`map-reduce: the resumed analysis ended ${out.status}: ${out.reason?.message ?? ''}`);
        const afterResume = sim.log.completions().slice(firstSeq + atKill.length);
        const repeated = afterResume.filter((e) => committedKeys.has(e.requestKey)).length;
        const killedKeys = new Set(atKill.map((e) => e.requestKey));
        const reRequestedInFlight = afterResume.filter((e) => killedKeys.has(e.requestKey) && !committedKeys.has(e.requestKey)).length;
        const total = atKill.length + afterResume.length;
        const sameReport = out.report === plain.report;
        const usage = store.getSession(s.id).usage;
        const verify = store.verify(s.id);
        if (!verify.ok) throw new Error('map-reduce: the resumed session does not verify');

        return {
          rows: [
            { benchmark: 'Map-reduce (sample MSA)', metric: `uninterrupted: simulator requests / tokens in+out / wall time (chunks of ${chunkTokens} tokens, 400 tok/s)`, value: `${plain.requests} / ${plain.inputTokens}+${plain.outputTokens} / ${fmtMs(plain.wallMs)}` },
            { benchmark: 'Map-reduce (sample MSA)', metric: `SIGKILL after ${committedAtKill} committed steps (${fmtMs(killedAfterMs)}), resumed: requests before + after / resume wall time`, value: `${atKill.length} + ${afterResume.length} = ${total} / ${fmtMs(resumeWallMs)}` },
            { benchmark: 'Map-reduce (sample MSA)', metric: 'requests repeated for steps committed before the kill', value: String(repeated), target: '0' },
            { benchmark: 'Map-reduce (sample MSA)', metric: 'requests in flight at the kill, sent again (not yet committed)', value: String(reRequestedInFlight) },
            { benchmark: 'Map-reduce (sample MSA)', metric: 'report after kill + resume identical to the uninterrupted one', value: sameReport ? 'yes' : 'no' },
          ],
          keys: { repeatedRequestsAfterResume: repeated, mapReduceRequests: plain.requests, mapReduceWallMs: plain.wallMs },
          details: {
            mapReduce: {
              chunkTokens, simulatorTokensPerSecond: 400,
              uninterrupted: { requests: plain.requests, inputTokens: plain.inputTokens, outputTokens: plain.outputTokens, wallMs: plain.wallMs },
              killed: {
                committedStepsAtKill: committedAtKill, killedAfterMs, requestsBeforeKill: atKill.length, requestsAfterResume: afterResume.length,
                repeatedCommitted: repeated, reRequestedInFlight, resumeWallMs, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens,
                sameReport, memoHitsOnResume: out.memoHits,
              },
            },
          },
        };
      } finally {
        store.close();
      }
    });
  } finally {
    await sim.close();
  }
}
