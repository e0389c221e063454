// Issue 8 item 2 / issue 3: bytes written to storage per byte of response while
// a long answer streams, Cairn's store beside the naive snapshot pattern, in
// the same run, on the same answer.
//
// The answer is replayed at a stated model speed on a virtual clock: Cairn's
// step runner appends one stream part per 250 ms of stream time and completes
// the step with the whole answer, exactly these store calls, without making
// the benchmark wait out the minutes a slow model would take. The naive
// checkpointer rewrites its whole snapshot every 5 tokens (speed-independent).
// Bytes come from /proc/self/io write_bytes (every fsync'd page counts), and
// include closing the store, which folds the WAL back into the database.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { countChatTokens } from '../electron/engine/tokens.ts';
import { createProviderClient } from '../electron/engine/provider/client.ts';
import { startSimulator } from '../electron/engine/simulator/index.ts';
import { StepRunner, type StepStore } from '../electron/engine/step-runner.ts';
import { longAnswerPieces, samplePrompt, sessionConfig, zeroUsage } from './lib/fixtures.ts';
import { SIMULATOR_MODEL, simulatorProfileAt } from '../shared/providers.ts';
import { startWriteMeter } from './lib/io-meter.ts';
import { NaiveFileCheckpointer } from './naive-checkpointer.ts';
import { type BenchContext, type BenchResult, type BenchRow, fmtBytes, type JsonNumberTree } from './lib/report.ts';
import { round } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

const FLUSH_MS = 250;

/** The files a session's streaming writes: the database, its WAL and index, and the session's stream log. */
const storeFiles = (dataDir: string, sessionId: string): string[] =>
  ['cairn.db', 'cairn.db-wal', 'cairn.db-shm', path.join('streams', `${sessionId}.log`)].map((f) => path.join(dataDir, f));
/** Tokens per second of the replayed stream: a typical hosted model's speed (slower models mean more parts per token). */
export const STREAM_TOKENS_PER_SECOND = 50;

interface Measured {
  tokens: number;
  responseBytes: number;
  cairnBytes: number;
  cairnParts: number;
  naiveBytes: number;
  naiveWrites: number;
  source: 'proc' | 'files';
  cairnSeconds: number;
  naiveSeconds: number;
}

async function measure(tokens: number, dir: string, rate: number, withNaive: boolean): Promise<Measured> {
  const messages = samplePrompt(6_000);
  const pieces = longAnswerPieces(messages, tokens);
  const answer = pieces.join('');
  const responseBytes = Buffer.byteLength(answer);

  // Cairn: the step runner's store calls at `rate` tokens per second.
  const dataDir = path.join(dir, 'cairn');
  // The store reads the same virtual clock, so its time-based moves of parts into the database happen as they would live.
  const start = Date.now();
  let virtualMs = start;
  let store = CheckpointStore.open({ dataDir, now: () => new Date(virtualMs) });
  const session = store.createSession({ name: 'write amplification', config: sessionConfig('http://127.0.0.1:9/v1') });
  const dbFiles = () => storeFiles(dataDir, session.id);
  let t = Date.now();
  const cairnMeter = startWriteMeter(dbFiles);
  let buffer = '';
  let parts = 0;
  let nextFlush = FLUSH_MS;
  for (let i = 0; i < pieces.length; i += 1) {
    buffer += pieces[i] as string;
    const at = ((i + 1) * 1000) / rate;
    virtualMs = start + at;
    if (at >= nextFlush) {
      store.appendStreamPart(session.id, 'map:0', 1, buffer);
      parts += 1;
      buffer = '';
      nextFlush = at + FLUSH_MS;
    }
  }
  if (buffer) {
    store.appendStreamPart(session.id, 'map:0', 1, buffer);
    parts += 1;
  }
  store.completeStep(session.id, {
    stepKey: 'map:0', attempt: 1, kind: 'map', memoKey: 'bench-write-amplification', output: answer,
    usage: zeroUsage(countChatTokens(messages, SIMULATOR_MODEL), pieces.length),
  });
  store.close();
  const cairnBytes = cairnMeter.stop();
  const cairnSeconds = (Date.now() - t) / 1000;
  // Sanity: the answer really is there, whole.
  store = CheckpointStore.open({ dataDir });
  const head = store.headPath(session.id).at(-1);
  if (!head?.outputHash || store.getBlob(head.outputHash) !== answer) throw new Error('write amplification: the completed answer was not stored intact');
  store.close();

  if (!withNaive) {
    return { tokens: pieces.length, responseBytes, cairnBytes, cairnParts: parts, naiveBytes: 0, naiveWrites: 0, source: cairnMeter.source, cairnSeconds, naiveSeconds: 0 };
  }
  // Naive: the whole snapshot, history included, rewritten every 5 tokens with fsync.
  const naiveFile = path.join(dir, 'naive-checkpoint.json');
  t = Date.now();
  const naiveMeter = startWriteMeter(() => [naiveFile]);
  const naive = new NaiveFileCheckpointer(naiveFile, messages, 5);
  for (const piece of pieces) naive.token(piece);
  naive.finish();
  const measuredNaive = naiveMeter.stop();
  // Without /proc/self/io, file growth would only see the last snapshot: count what was handed to write() instead.
  const naiveBytes = naiveMeter.source === 'proc' ? measuredNaive : naive.bytesHandedToWrite;
  return {
    tokens: pieces.length, responseBytes, cairnBytes, cairnParts: parts, naiveBytes, naiveWrites: naive.writes,
    source: cairnMeter.source, cairnSeconds, naiveSeconds: (Date.now() - t) / 1000,
  };
}

/**
 * The same figure measured live rather than replayed: the real step runner
 * streams an answer from the simulator at its full speed into the real store
 * (parts every 250 ms, then the fold), bytes from /proc/self/io around the run.
 */
async function measureLive(words: number, dir: string, tokensPerSecond = 0): Promise<{ tokens: number; responseBytes: number; bytes: number; parts: number; tokensPerSecond: number; source: 'proc' | 'files' }> {
  const sim = await startSimulator({ words, tokensPerSecond });
  const dataDir = path.join(dir, 'live');
  const store = CheckpointStore.open({ dataDir });
  try {
    const session = store.createSession({ name: 'write amplification, live', config: sessionConfig(sim.baseURL) });
    const client = await createProviderClient(simulatorProfileAt(sim.baseURL));
    let tokens = 0;
    let parts = 0;
    // The real store, with its part appends counted.
    const counted: StepStore = {
      appendStreamPart: (...args) => {
        parts += 1;
        store.appendStreamPart(...args);
      },
      partial: (...args) => store.partial(...args),
      memoGet: (...args) => store.memoGet(...args),
      stepOnHeadPath: (...args) => store.stepOnHeadPath(...args),
      appendCheckpoint: (...args) => store.appendCheckpoint(...args),
      completeStep: (...args) => store.completeStep(...args),
    };
    const runner = new StepRunner({ store: counted, client, flushMs: FLUSH_MS });
    runner.on('delta', () => {
      tokens += 1;
    });
    const meter = startWriteMeter(() => storeFiles(dataDir, session.id));
    const t = performance.now();
    const result = await runner.run({ sessionId: session.id, stepKey: 'live:0', kind: 'map', task: 'write amplification', messages: samplePrompt(6_000) });
    const seconds = (performance.now() - t) / 1000;
    store.close();
    const bytes = meter.stop();
    return { tokens, responseBytes: Buffer.byteLength(result.output), bytes, parts, tokensPerSecond: tokens / seconds, source: meter.source };
  } finally {
    store.close();
    await sim.close();
  }
}

/**
 * Bytes written per committed step for answers of realistic size: `count`
 * steps of one session stream concurrently (as a map phase does) from the
 * simulator at a model's speed in real time, through the real step runner and
 * store; bytes from /proc/self/io, closing the store (the WAL fold) included.
 */
async function measureSteps(words: number, count: number, tokensPerSecond: number, dir: string): Promise<{ answerBytes: number; bytesPerStep: number; source: 'proc' | 'files' }> {
  const sim = await startSimulator({ words, tokensPerSecond });
  const dataDir = path.join(dir, `steps-${words}`);
  const store = CheckpointStore.open({ dataDir });
  try {
    const session = store.createSession({ name: 'write per step', config: sessionConfig(sim.baseURL) });
    const client = await createProviderClient(simulatorProfileAt(sim.baseURL));
    const runner = new StepRunner({ store, client, flushMs: FLUSH_MS });
    const meter = startWriteMeter(() => storeFiles(dataDir, session.id));
    const results = await Promise.all(Array.from({ length: count }, (_, i) => runner.run({
      sessionId: session.id, stepKey: `map:${i}`, kind: 'map', task: 'write per step', messages: samplePrompt(3_000, ` (passage ${i})`),
    })));
    store.close();
    const bytes = meter.stop();
    const answerBytes = results.reduce((n, r) => n + Buffer.byteLength(r.output), 0) / count;
    return { answerBytes, bytesPerStep: bytes / count, source: meter.source };
  } finally {
    store.close();
    await sim.close();
  }
}

export async function writePerStep(ctx: BenchContext): Promise<BenchResult> {
  // Simulator words for answers of about 700 B, 2 KB and 8 KB (about 5-5.7 bytes a word).
  const sizes = [{ key: 'b700', words: 140 }, { key: 'b2k', words: 360 }, { key: 'b8k', words: 1_440 }];
  const rate = ctx.quick ? 0 : STREAM_TOKENS_PER_SECOND;
  const count = ctx.quick ? 2 : 8;
  const rows: BenchRow[] = [];
  const keys: Record<string, JsonNumberTree> = {};
  const details: Record<string, JsonNumberTree> = {};
  for (const size of sizes) {
    const m = await withTempDir('wps', (dir) => measureSteps(size.words, count, rate, dir));
    keys[size.key] = Math.round(m.bytesPerStep);
    details[size.key] = { answerBytes: Math.round(m.answerBytes), bytesPerStep: Math.round(m.bytesPerStep), ratio: round(m.bytesPerStep / m.answerBytes, 1), steps: count, source: m.source };
    rows.push({
      benchmark: 'Write per step',
      metric: `${fmtBytes(Math.round(m.answerBytes))} answers, ${count} steps streaming at once at ${rate || 'full'}${rate ? ' tok/s in real time' : ' speed'}: bytes written per committed step`,
      value: `${fmtBytes(Math.round(m.bytesPerStep))} (${round(m.bytesPerStep / m.answerBytes, 1)}x the answer)`,
    });
  }
  return { rows, keys: { writePerStep: keys }, details: { writePerStep: { tokensPerSecond: rate, ...details } } };
}

export async function writeAmplification(ctx: BenchContext): Promise<BenchResult> {
  const sizes = ctx.quick ? [2_000, 10_000] : [10_000, 100_000];
  const rows: BenchRow[] = [];
  const runs: Record<string, JsonNumberTree> = {};
  let last: Measured | null = null;
  for (const tokens of sizes) {
    const m = await withTempDir('wamp', (dir) => measure(tokens, dir, STREAM_TOKENS_PER_SECOND, true));
    ctx.log(`${tokens} tokens: Cairn ${m.cairnSeconds.toFixed(1)} s, naive ${m.naiveSeconds.toFixed(1)} s`);
    const cairn = round(m.cairnBytes / m.responseBytes, 2);
    const naive = round(m.naiveBytes / m.responseBytes, 1);
    const label = `${m.tokens.toLocaleString('en')}-token answer (${fmtBytes(m.responseBytes)})`;
    rows.push({
      benchmark: 'Write amplification',
      metric: `${label} at ${STREAM_TOKENS_PER_SECOND} tok/s: bytes written / response bytes, Cairn (${m.cairnParts} parts) vs naive (${m.naiveWrites} rewrites)`,
      value: `${cairn}x vs ${naive}x (${fmtBytes(m.cairnBytes)} vs ${fmtBytes(m.naiveBytes)})`,
      target: tokens === sizes.at(-1) ? 'Cairn ≤ 10x' : undefined,
    });
    runs[String(m.tokens)] = {
      tokens: m.tokens, responseBytes: m.responseBytes, cairnBytesWritten: m.cairnBytes, naiveBytesWritten: m.naiveBytes,
      cairn, naive, cairnParts: m.cairnParts, naiveRewrites: m.naiveWrites, bytesSource: m.source === 'proc' ? '/proc/self/io write_bytes' : 'file growth',
    };
    last = m;
  }
  if (!last) throw new Error('no sizes');
  // Cairn's figure depends on the model's speed (one part per 250 ms); the naive one does not (every 5 tokens).
  const sweep: Record<string, JsonNumberTree> = {};
  const sweepTokens = ctx.quick ? 2_000 : 10_000;
  for (const rate of ctx.quick ? [200] : [20, 200, 1_000]) {
    const m = await withTempDir('wamp', (dir) => measure(sweepTokens, dir, rate, false));
    sweep[String(rate)] = round(m.cairnBytes / m.responseBytes, 2);
    rows.push({
      benchmark: 'Write amplification',
      metric: `${m.tokens.toLocaleString('en')}-token answer at ${rate} tok/s: Cairn bytes written / response bytes (${m.cairnParts} parts)`,
      value: `${sweep[String(rate)]}x (${fmtBytes(m.cairnBytes)}, ${fmtBytes(Math.round(m.cairnBytes / m.cairnParts))} per part)`,
    });
  }
  const live = await withTempDir('wamp-live', (dir) => measureLive(ctx.quick ? 10_000 : 100_000, dir));
  const liveRatio = round(live.bytes / live.responseBytes, 2);
  rows.push({
    benchmark: 'Write amplification',
    metric: `live: ${live.tokens.toLocaleString('en')}-token answer from the simulator at full speed (${Math.round(live.tokensPerSecond).toLocaleString('en')} tok/s) through the step runner (${live.parts} parts)`,
    value: `${liveRatio}x (${fmtBytes(live.bytes)} for ${fmtBytes(live.responseBytes)})`,
  });
  // And live at a model's speed, in real time: the kernel's own write-back of the stream log's pages
  // (every ~30 s) is part of this figure, which a replay cannot reproduce. 10,000 tokens at 50 tok/s take 200 s.
  const slow = ctx.quick ? { words: 1_000, rate: 200 } : { words: 10_000, rate: STREAM_TOKENS_PER_SECOND };
  const liveSlow = await withTempDir('wamp-live-slow', (dir) => measureLive(slow.words, dir, slow.rate));
  const liveSlowRatio = round(liveSlow.bytes / liveSlow.responseBytes, 2);
  rows.push({
    benchmark: 'Write amplification',
    metric: `live: ${liveSlow.tokens.toLocaleString('en')}-token answer from the simulator at ${slow.rate} tok/s in real time (${Math.round(liveSlow.tokensPerSecond)} tok/s measured, ${liveSlow.parts} parts)`,
    value: `${liveSlowRatio}x (${fmtBytes(liveSlow.bytes)} for ${fmtBytes(liveSlow.responseBytes)})`,
  });
  return {
    rows,
    keys: { writeAmplification: { cairn: round(last.cairnBytes / last.responseBytes, 2), naive: round(last.naiveBytes / last.responseBytes, 1) } },
    details: {
      writeAmplification: {
        streamTokensPerSecond: STREAM_TOKENS_PER_SECOND, flushMs: FLUSH_MS, naiveEveryTokens: 5, runs, cairnBySpeed: { tokens: sweepTokens, ratioByTokensPerSecond: sweep },
        liveFullSpeed: { tokens: live.tokens, tokensPerSecond: Math.round(live.tokensPerSecond), responseBytes: live.responseBytes, bytesWritten: live.bytes, parts: live.parts, ratio: liveRatio },
        liveModelSpeed: { tokens: liveSlow.tokens, tokensPerSecond: Math.round(liveSlow.tokensPerSecond), responseBytes: liveSlow.responseBytes, bytesWritten: liveSlow.bytes, parts: liveSlow.parts, ratio: liveSlowRatio },
      },
    },
  };
}
