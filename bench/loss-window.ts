// SIGKILL a process in the middle of a stream at random moments, on a first
// attempt and on the resumed attempt after it; compare what the simulator had
// sent by then with what the store holds afterwards. Loss in characters, and
// in ms of stream: how long before the kill the first unpersisted piece had
// been sent. (What a power cut costs is another figure: the durability bench.)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { RequestLog, startSimulator, type RequestLogEntry } from '../electron/engine/simulator/index.ts';
import { sessionConfig } from './lib/fixtures.ts';
import { type BenchContext, type BenchResult, fmtMs } from './lib/report.ts';
import { percentile, round, seededRandom, sleep } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children', 'stream-child.ts');
const FLUSH_MS = 250;
const TOKENS_PER_SECOND = 200;
const WORDS = 300; // 1.5 s of stream

interface Kill {
  afterMs: number;
  sentChars: number;
  persistedChars: number;
  lostChars: number;
  lostMs: number;
}

function lossOf(entry: RequestLogEntry, killAt: number, persisted: string): { lostChars: number; lostMs: number; sentChars: number } {
  const sent = RequestLog.contentText(entry, killAt);
  const all = RequestLog.contentText(entry);
  if (!all.startsWith(persisted)) throw new Error('loss window: the store holds text the simulator never sent');
  let covered = 0;
  let firstLost: number | null = null;
  for (const piece of entry.content) {
    if (piece.at > killAt) break;
    covered += piece.text.length;
    if (covered > persisted.length) {
      firstLost = piece.at;
      break;
    }
  }
  return { sentChars: sent.length, lostChars: Math.max(0, sent.length - persisted.length), lostMs: firstLost === null ? 0 : Math.max(0, killAt - firstLost) };
}

interface Child {
  kill(): Promise<void>;
  /** The simulator's entry of the child's request once its first piece was sent. */
  entry: RequestLogEntry;
}

/** Starts the child on the session's step and resolves once the simulator sent it the first piece. */
async function startChild(dir: string, sessionId: string, baseURL: string, log: () => RequestLogEntry[]): Promise<Child> {
  const before = log().length;
  const child = spawn(process.execPath, [CHILD, dir, sessionId, baseURL, String(FLUSH_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  child.stdout.resume();
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  let entry: RequestLogEntry | undefined;
  while (!(entry = log()[before]) || entry.content.length === 0) {
    if (Date.now() > deadline) throw new Error(`loss window: the child never started streaming. ${stderr}`);
    await sleep(2);
  }
  return {
    entry,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function summary(name: string, kills: Kill[]): { ms: number[]; chars: number[]; row: { benchmark: string; metric: string; value: string; target?: string } } {
  const ms = kills.map((k) => k.lostMs);
  const chars = kills.map((k) => k.lostChars);
  return {
    ms, chars,
    row: {
      benchmark: 'Loss window',
      metric: `${name}: SIGKILL mid-stream x${kills.length} (${TOKENS_PER_SECOND} tok/s, parts every ${FLUSH_MS} ms): stream time not yet written to the OS, p50 / p99 / max; characters p50 / p99`,
      value: `${fmtMs(percentile(ms, 50))} / ${fmtMs(percentile(ms, 99))} / ${fmtMs(Math.max(...ms))}; ${percentile(chars, 50)} / ${percentile(chars, 99)}`,
      target: 'p99 ≤ 250 ms',
    },
  };
}

/**
 * Each round kills a first attempt at a random moment of its stream, then
 * resumes the session (a new attempt of the same step, which first keeps the
 * killed attempt's draft) and kills that at a random moment too.
 */
export async function lossWindow(ctx: BenchContext): Promise<BenchResult> {
  const rounds = ctx.quick ? 3 : 100;
  const rnd = seededRandom(ctx.seed);
  const sim = await startSimulator({ words: WORDS, tokensPerSecond: TOKENS_PER_SECOND });
  const streamMs = (WORDS / TOKENS_PER_SECOND) * 1000;
  try {
    return await withTempDir('loss', async (dir) => {
      const store = CheckpointStore.open({ dataDir: dir });
      const first: Kill[] = [];
      const resumed: Kill[] = [];
      try {
        for (let round = 0; round < rounds; round += 1) {
          const session = store.createSession({ name: `loss ${round}`, config: sessionConfig(sim.baseURL) });
          for (const [attempt, kills] of [[1, first], [2, resumed]] as const) {
            // Kill somewhere between 0.1 s after the first piece and 0.1 s before the end of the stream.
            const afterMs = Math.round(100 + rnd() * (streamMs - 200));
            const child = await startChild(dir, session.id, sim.baseURL, () => sim.log.completions());
            const firstAt = (child.entry.content[0] as { at: number }).at;
            await sleep(Math.max(0, firstAt + afterMs - Date.now()));
            const killAt = Date.now();
            await child.kill();
            // Until the resumed attempt writes, the partial on disk is still the killed attempt's: none of this one's is.
            const partial = store.partial(session.id, 'map:0');
            const persisted = partial?.attempt === attempt ? partial.text : '';
            kills.push({ afterMs, persistedChars: persisted.length, ...lossOf(child.entry, killAt, persisted) });
          }
        }
      } finally {
        store.close();
      }
      const a = summary('first attempt', first);
      const b = summary('resumed attempt', resumed);
      return {
        rows: [a.row, b.row],
        keys: {
          lossWindowMsP99: round(percentile(a.ms, 99), 1),
          lossWindowCharsP99: percentile(a.chars, 99),
          lossWindowResumedMsP99: round(percentile(b.ms, 99), 1),
          lossWindowResumedCharsP99: percentile(b.chars, 99),
        },
        details: {
          lossWindow: {
            samples: first.length + resumed.length, tokensPerSecond: TOKENS_PER_SECOND, flushMs: FLUSH_MS, seed: ctx.seed,
            first: { samples: first.length, msP50: round(percentile(a.ms, 50), 1), msP99: round(percentile(a.ms, 99), 1), msMax: Math.max(...a.ms), kills: first.map((k) => ({ ...k })) },
            resumed: { samples: resumed.length, msP50: round(percentile(b.ms, 50), 1), msP99: round(percentile(b.ms, 99), 1), msMax: Math.max(...b.ms), kills: resumed.map((k) => ({ ...k })) },
          },
        },
      };
    });
  } finally {
    await sim.close();
  }
}
