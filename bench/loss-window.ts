// Issue 8 item 3: SIGKILL a process in the middle of a stream at random
// moments; compare what the simulator had sent by then with what the store
// holds afterwards. Loss in characters, and in ms of stream: how long before
// the kill the first unpersisted piece had been sent.
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
const WORDS = 700; // 3.5 s of stream

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

export async function lossWindow(ctx: BenchContext): Promise<BenchResult> {
  const rounds = ctx.quick ? 4 : 20;
  const rnd = seededRandom(ctx.seed);
  const sim = await startSimulator({ words: WORDS, tokensPerSecond: TOKENS_PER_SECOND });
  try {
    return await withTempDir('loss', async (dir) => {
      const store = CheckpointStore.open({ dataDir: dir });
      const kills: Kill[] = [];
      try {
        for (let round = 0; round < rounds; round += 1) {
          const session = store.createSession({ name: `loss ${round}`, config: sessionConfig(sim.baseURL) });
          const before = sim.log.completions().length;
          // Kill somewhere between 0.1 s and 0.1 s before the end of the stream, measured from its first piece.
          const afterMs = Math.round(100 + rnd() * ((WORDS / TOKENS_PER_SECOND) * 1000 - 200));
          const child = spawn(process.execPath, [CHILD, dir, session.id, sim.baseURL, String(FLUSH_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (b: Buffer) => {
            stderr += b.toString();
          });
          child.stdout.resume();
          const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
          const deadline = Date.now() + 30_000;
          let entry: RequestLogEntry | undefined;
          while (!(entry = sim.log.completions()[before]) || entry.content.length === 0) {
            if (Date.now() > deadline) throw new Error(`loss window: the child never started streaming. ${stderr}`);
            await sleep(2);
          }
          const firstAt = (entry.content[0] as { at: number }).at;
          await sleep(Math.max(0, firstAt + afterMs - Date.now()));
          const killAt = Date.now();
          child.kill('SIGKILL');
          await exited;
          const persisted = store.partial(session.id, 'map:0')?.text ?? '';
          const loss = lossOf(entry, killAt, persisted);
          kills.push({ afterMs, persistedChars: persisted.length, ...loss });
        }
      } finally {
        store.close();
      }
      const ms = kills.map((k) => k.lostMs);
      const chars = kills.map((k) => k.lostChars);
      const p99 = round(percentile(ms, 99), 1);
      return {
        rows: [
          { benchmark: 'Loss window', metric: `SIGKILL mid-stream x${rounds} (${TOKENS_PER_SECOND} tok/s, parts every ${FLUSH_MS} ms): lost ms of stream p50 / p99 / max`, value: `${fmtMs(percentile(ms, 50))} / ${fmtMs(p99)} / ${fmtMs(Math.max(...ms))}`, target: 'p99 ≤ 250 ms' },
          { benchmark: 'Loss window', metric: 'lost characters p50 / p99 / max', value: `${percentile(chars, 50)} / ${percentile(chars, 99)} / ${Math.max(...chars)}` },
        ],
        keys: { lossWindowMsP99: p99, lossWindowCharsP99: percentile(chars, 99) },
        details: { lossWindow: { rounds, tokensPerSecond: TOKENS_PER_SECOND, flushMs: FLUSH_MS, seed: ctx.seed, kills: kills.map((k) => ({ ...k })) } },
      };
    });
  } finally {
    await sim.close();
  }
}
