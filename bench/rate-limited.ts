// Issue 23 item 3: throughput under a provider's limits. A 300-page analysis
// (generated text) against a simulator that allows 60 requests/min, 100k
// tokens/min and 4 open streams, with 200 ms to the first token and 50 tok/s.
// That is real time, so the provider's clock is scaled: every limit and speed
// is multiplied by SCALE (and the time to first token divided by it), which
// gives the same run SCALE times faster; the quick form analyses 20 pages.
//
// wallRatio = the limit-bound minimum / the wall time (higher is better; 1 =
// as fast as the limits allow). The minimum is what no client could beat for
// the requests the job needs: the last request cannot start before the
// requests-per-minute and tokens-per-minute allowances (less one full bucket)
// are spent, nor before the map's streams have run through 4 slots, and it
// takes its own stream time after that. Measured beside a fixed-concurrency
// client with the naive retry loop (3 tries, 2^n s backoff, headers ignored),
// whose ratio is taken against the minimum for the requests it got answered
// (it gives up on some passages, so it does less of the job).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { runSession } from '../electron/engine/pipeline/analysis.ts';
import { mapMessages, reduceMessages } from '../electron/engine/pipeline/prompts.ts';
import { readResults } from '../electron/engine/pipeline/read-model.ts';
import { type RequestLogEntry, startSimulator, type Simulator } from '../electron/engine/simulator/index.ts';
import { SIMULATOR_MODEL } from '../shared/providers.ts';
import { seededRandom } from '../shared/seeded-random.ts';
import { sessionConfig } from './lib/fixtures.ts';
import { type BenchContext, type BenchResult, fmtMs } from './lib/report.ts';
import { withTempDir } from './lib/temp.ts';

/** The provider's own figures, before scaling. */
const PROVIDER = { requestsPerMinute: 60, tokensPerMinute: 100_000, concurrentStreams: 4, firstTokenMs: 200, tokensPerSecond: 50 } as const;
const SCALE = 3;
const CONCURRENCY = 8;
const WORDS = 100;
const CHUNK_TOKENS = 1_500;
const TASK = 'List every obligation with its deadline and the party that owes it';

const PARTIES = ['the Supplier', 'the Customer', 'the Contractor', 'the Landlord', 'the Tenant', 'the Licensee'];
const ACTS = ['deliver the monthly report', 'pay each invoice', 'repair structural defects', 'notify the other party of any breach', 'keep the records', 'return all confidential material'];

/** `pages` pages of contract-like prose, about 500 tokens each, the same for a seed. */
function generatedDocument(pages: number, seed: number): string {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length) % xs.length] as T;
  const out = ['# Framework Agreement (generated for the rate-limit benchmark)'];
  for (let p = 1; p <= pages; p += 1) {
    out.push(`## Page ${p}`);
    for (let para = 0; para < 4; para += 1) {
      const sentences: string[] = [];
      for (let k = 0; k < 5; k += 1) {
        sentences.push(`${pick(PARTIES)} shall ${pick(ACTS)} within ${5 + Math.floor(rnd() * 60)} days of the request under clause ${p}.${para + 1}, and a delay incurs a fee of ${1 + Math.floor(rnd() * 9)}% of the charge [page ${p}].`);
      }
      out.push(sentences.join(' '));
    }
  }
  return `${out.join('\n\n')}\n`;
}

const scaled = {
  requestsPerMinute: PROVIDER.requestsPerMinute * SCALE,
  tokensPerMinute: PROVIDER.tokensPerMinute * SCALE,
  concurrentStreams: PROVIDER.concurrentStreams,
  firstTokenMs: PROVIDER.firstTokenMs / SCALE,
  tokensPerSecond: PROVIDER.tokensPerSecond * SCALE,
};

const startLimited = (): Promise<Simulator> => startSimulator({
  words: WORDS, tokensPerSecond: scaled.tokensPerSecond, firstTokenMs: scaled.firstTokenMs,
  rateLimits: { requestsPerMinute: scaled.requestsPerMinute, tokensPerMinute: scaled.tokensPerMinute, concurrentStreams: scaled.concurrentStreams },
});

const streamMs = (e: RequestLogEntry): number => scaled.firstTokenMs + (e.content.length * 1_000) / scaled.tokensPerSecond;

/** The fewest ms any client needs for these answered requests under the limits (see the header). */
function limitBoundMinimumMs(answered: readonly RequestLogEntry[]): number {
  const last = answered.at(-1);
  if (!last) return 0;
  const requestBucket = Math.max(1, scaled.requestsPerMinute / 60);
  const tokenBucket = Math.max(1, scaled.tokensPerMinute / 60);
  const byRequests = (Math.max(0, answered.length - requestBucket) * 60_000) / scaled.requestsPerMinute;
  const tokens = answered.reduce((n, e) => n + e.charged, 0);
  const byTokens = (Math.max(0, tokens - tokenBucket) * 60_000) / scaled.tokensPerMinute;
  const map = answered.slice(0, -1);
  const byStreams = map.reduce((n, e) => n + streamMs(e), 0) / scaled.concurrentStreams;
  return Math.max(byRequests, byTokens, byStreams) + streamMs(last);
}

interface Measured {
  wallMs: number;
  minimumMs: number;
  /** From the start to the first request (reading and chunking, for Cairn). */
  firstRequestMs: number;
  failedChunks: number;
  http429: number;
  requests: number;
  maxOpen: number;
}

function measured(sim: Simulator, startedAt: number, failedChunks: number): Measured {
  const wallMs = Date.now() - startedAt;
  const log = sim.log.completions();
  return {
    wallMs, failedChunks, minimumMs: limitBoundMinimumMs(log.filter((e) => e.status === 200)), firstRequestMs: log[0] ? Date.parse(log[0].time) - startedAt : 0,
    http429: log.filter((e) => e.status === 429).length, requests: log.length, maxOpen: sim.log.maxConcurrent(),
  };
}

async function cairnRun(doc: string): Promise<Measured & { chunks: Array<{ label: string; text: string }> }> {
  const sim = await startLimited();
  try {
    return await withTempDir('rate-limited', (dir) => {
      const store = CheckpointStore.open({ dataDir: path.join(dir, 'data') });
      return (async () => {
        try {
          const s = store.createSession({ name: 'Rate-limited', config: sessionConfig(sim.baseURL, { task: TASK, documents: [doc], chunkTokens: CHUNK_TOKENS, concurrency: CONCURRENCY }) });
          const t = Date.now();
          const out = await runSession(s.id, { store, owner: `bench-${process.pid}` });
          const m = measured(sim, t, 0);
          if (out.status !== 'done') throw new Error(`rate-limited: the analysis ended ${out.status}: ${out.reason?.message ?? ''}`);
          const r = readResults(store, s.id);
          const failed = r.results.filter((c) => c.status !== 'done').length;
          return {
            ...m, failedChunks: failed,
            chunks: r.chunks.map((c) => ({ label: c.label, text: store.getBlob(c.textHash) })),
          };
        } finally {
          store.close();
        }
      })();
    });
  } finally {
    await sim.close();
  }
}

/** What a plain script does: a fixed pool, and on any error up to 3 tries with 2^n s between them (in provider time). */
async function baselineRun(chunks: ReadonlyArray<{ label: string; text: string }>): Promise<Measured> {
  const sim = await startLimited();
  const client = new OpenAI({ baseURL: sim.baseURL, apiKey: 'bench', maxRetries: 0, logLevel: 'off' });
  const call = async (messages: ReturnType<typeof mapMessages>): Promise<string | null> => {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      try {
        const stream = await client.chat.completions.create({ model: SIMULATOR_MODEL, messages, stream: true, temperature: 0.2 });
        let text = '';
        for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
        return text;
      } catch {
        if (attempt < 3) await new Promise((r) => setTimeout(r, (2 ** attempt * 1_000) / SCALE));
      }
    }
    return null;
  };
  try {
    const t = Date.now();
    const findings: Array<{ label: string; text: string } | null> = new Array<null>(chunks.length).fill(null);
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < chunks.length) {
        const i = next++;
        const c = chunks[i]!;
        const text = await call(mapMessages(TASK, c));
        findings[i] = text === null ? null : { label: c.label, text };
      }
    }));
    const ok = findings.filter((f): f is { label: string; text: string } => f !== null);
    await call(reduceMessages(TASK, ok, true));
    return measured(sim, t, chunks.length - ok.length);
  } finally {
    await sim.close();
  }
}

const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

export async function rateLimited(ctx: BenchContext): Promise<BenchResult> {
  const pages = ctx.quick ? 20 : 300;
  return withTempDir('rate-limited-doc', async (dir) => {
    const doc = path.join(dir, 'framework-agreement.md');
    writeFileSync(doc, generatedDocument(pages, ctx.seed));
    const cairn = await cairnRun(doc);
    ctx.log(`Cairn: ${cairn.chunks.length} chunks, ${cairn.requests} requests (${cairn.http429} × 429) in ${fmtMs(cairn.wallMs)} (first request after ${fmtMs(cairn.firstRequestMs)}); limit-bound minimum ${fmtMs(cairn.minimumMs)}`);
    const base = await baselineRun(cairn.chunks);
    ctx.log(`baseline: ${base.requests} requests (${base.http429} × 429), ${base.failedChunks} failed chunks in ${fmtMs(base.wallMs)}; minimum for what it got answered ${fmtMs(base.minimumMs)}`);
    const wallRatio = round(cairn.minimumMs / cairn.wallMs);
    const baselineWallRatio = round(base.minimumMs / base.wallMs);
    const limits = `${PROVIDER.requestsPerMinute} RPM / ${PROVIDER.tokensPerMinute / 1_000}k TPM / ${PROVIDER.concurrentStreams} streams, ${PROVIDER.firstTokenMs} ms TTFT, ${PROVIDER.tokensPerSecond} tok/s`;
    const name = `Rate-limited (${pages} pages, ${limits}; provider clock ×${SCALE})`;
    return {
      rows: [
        { benchmark: name, metric: `limit-bound minimum / wall time, concurrency ${CONCURRENCY} (higher is better; 1 = as fast as the limits allow)`, value: `${wallRatio} (${fmtMs(cairn.minimumMs)} / ${fmtMs(cairn.wallMs)})`, target: `≥ 0.9; fixed pool + naive retry: ${baselineWallRatio} (${fmtMs(base.wallMs)})` },
        { benchmark: name, metric: 'failed chunks', value: String(cairn.failedChunks), target: `0; fixed pool + naive retry: ${base.failedChunks} of ${cairn.chunks.length}` },
        { benchmark: name, metric: `429s / requests (most streams open at once)`, value: `${cairn.http429} / ${cairn.requests} (${cairn.maxOpen})`, target: `fixed pool + naive retry: ${base.http429} / ${base.requests} (${base.maxOpen})` },
      ],
      keys: {
        rateLimited: {
          wallRatio, failedChunks: cairn.failedChunks, http429: cairn.http429, baselineWallRatio, baselineFailedChunks: base.failedChunks,
        },
      },
      details: {
        rateLimited: {
          pages, chunks: cairn.chunks.length, chunkTokens: CHUNK_TOKENS, concurrency: CONCURRENCY, words: WORDS, scale: SCALE,
          provider: { ...PROVIDER }, simulated: { ...scaled },
          minimumMs: Math.round(cairn.minimumMs),
          cairn: { wallMs: cairn.wallMs, firstRequestMs: cairn.firstRequestMs, requests: cairn.requests, http429: cairn.http429, failedChunks: cairn.failedChunks, maxOpen: cairn.maxOpen },
          baseline: { wallMs: base.wallMs, minimumMs: Math.round(base.minimumMs), requests: base.requests, http429: base.http429, failedChunks: base.failedChunks, maxOpen: base.maxOpen, retry: '3 tries, 2^n s backoff (provider time), headers ignored' },
          ratioIs: 'limit-bound minimum / wall time: higher is better, 1 = as fast as the limits allow',
        },
      },
    };
  });
}
