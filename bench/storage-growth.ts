// Issue 8 item 5: a 500-turn conversation whose context grows every turn.
// Cairn stores each question and answer once (content-addressed blobs, the
// answer streamed as parts and folded on completion); the naive checkpointer
// stores a full snapshot of the conversation at every turn. Both in SQLite,
// same run, same texts; bytes are the database files on disk after closing.
// The same conversation with answers cut from the sample contract shows how
// much the figure owes to how well the answers deflate.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { generateAnalysis } from '../electron/engine/simulator/index.ts';
import { SAMPLE, sessionConfig, zeroUsage } from './lib/fixtures.ts';
import { type NaiveMessage, NaiveSnapshotStore } from './naive-checkpointer.ts';
import { type BenchContext, type BenchResult, fmtBytes } from './lib/report.ts';
import { round } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

const QUESTIONS = [
  'Which obligations does clause {n} create for the Supplier, and by when?',
  'What happens under clause {n} if the Customer pays an invoice late?',
  'Does clause {n} limit either party\'s liability? Quote the wording.',
  'Who must give notice under clause {n}, how, and within how many days?',
];

function usedBytes(file: string): number {
  return ['', '-wal'].reduce((n, suffix) => {
    try {
      return n + statSync(file + suffix).size;
    } catch {
      return n;
    }
  }, 0);
}

/** Bytes in pages that hold data (the file minus its free list), read after the WAL was folded in. */
function livePageBytes(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const page = Number(db.pragma('page_size', { simple: true }));
    return (Number(db.pragma('page_count', { simple: true })) - Number(db.pragma('freelist_count', { simple: true }))) * page;
  } finally {
    db.close();
  }
}

type Answer = (history: readonly NaiveMessage[], turn: number) => string;

interface Conversation { uniqueBytes: number; cairnBytes: number; cairnLive: number; naiveBytes: number | null }

/** One growing conversation stored by Cairn (and, with `naivePath`, by the full-snapshot checkpointer beside it). */
function conversation(dir: string, turns: number, answerFor: Answer, naivePath: string | null): Conversation {
  const store = CheckpointStore.open({ dataDir: path.join(dir, 'cairn') });
  const naive = naivePath ? new NaiveSnapshotStore(naivePath) : null;
  const session = store.createSession({ name: 'growing conversation', config: sessionConfig('http://127.0.0.1:9/v1') });
  const history: NaiveMessage[] = [{ role: 'system', content: 'You answer questions about the master services agreement and cite clauses.' }];
  const unique = new Set<string>(history.map((m) => m.content));
  try {
    for (let turn = 0; turn < turns; turn += 1) {
      const question = `${(QUESTIONS[turn % QUESTIONS.length] as string).replace('{n}', `${1 + (turn % 40)}.${1 + (turn % 7)}`)} (turn ${turn + 1})`;
      history.push({ role: 'user', content: question });
      const answer = answerFor(history, turn);
      history.push({ role: 'assistant', content: answer });
      unique.add(question);
      unique.add(answer);

      // Cairn: the question once, the answer streamed in parts and folded into one blob with its checkpoint.
      const questionHash = store.putBlob(question);
      for (let at = 0; at < answer.length; at += 120) store.appendStreamPart(session.id, `answer:${turn}`, 1, answer.slice(at, at + 120));
      store.completeStep(session.id, {
        stepKey: `answer:${turn}`, attempt: 1, kind: 'answer', memoKey: `bench-growth-${turn}`,
        state: { turn, question: questionHash }, usage: zeroUsage(turn * 200, 150),
      });
      // Naive: the whole conversation again.
      naive?.put('growing', turn + 1, history);
    }
    if (store.headPath(session.id).length !== turns) throw new Error('storage growth: a turn is missing from the head path');
  } finally {
    store.close();
    naive?.close();
  }
  return {
    uniqueBytes: [...unique].reduce((n, t) => n + Buffer.byteLength(t), 0),
    cairnBytes: usedBytes(path.join(dir, 'cairn', 'cairn.db')),
    cairnLive: livePageBytes(path.join(dir, 'cairn', 'cairn.db')),
    naiveBytes: naivePath ? usedBytes(naivePath) : null,
  };
}

/** Answers of the same length cut from the sample contract: legal prose, which deflates less than the simulator's answers. */
function proseAnswers(): Answer {
  const prose = readFileSync(SAMPLE, 'utf8').replace(/\s+/g, ' ');
  return (_history, turn) => {
    const at = (turn * 733) % (prose.length - 800);
    return prose.slice(at, at + 700);
  };
}

export async function storageGrowth(ctx: BenchContext): Promise<BenchResult> {
  const turns = ctx.quick ? 100 : 500;
  const m = await withTempDir('growth', (dir) => conversation(dir, turns, (history) => generateAnalysis(history, { words: 120 }), path.join(dir, 'naive.db')));
  const p = await withTempDir('growth-prose', (dir) => conversation(dir, turns, proseAnswers(), null));
  const naiveBytes = m.naiveBytes ?? 0;
  const cairn = round(m.cairnBytes / m.uniqueBytes, 2);
  const naiveRatio = round(naiveBytes / m.uniqueBytes, 1);
  const proseRatio = round(p.cairnBytes / p.uniqueBytes, 2);
  return {
    rows: [{
      benchmark: 'Storage growth',
      metric: `${turns}-turn growing conversation: database bytes / unique content bytes (${fmtBytes(m.uniqueBytes)}), Cairn vs full snapshots`,
      value: `${cairn}x vs ${naiveRatio}x (${fmtBytes(m.cairnBytes)} vs ${fmtBytes(naiveBytes)})`,
      target: 'Cairn ≤ 2x',
    }, {
      benchmark: 'Storage growth',
      metric: 'Cairn pages holding data (file minus free list, e.g. folded stream parts) / unique content bytes',
      value: `${round(m.cairnLive / m.uniqueBytes, 2)}x (${fmtBytes(m.cairnLive)})`,
    }, {
      benchmark: 'Storage growth',
      metric: 'same conversation, answers cut from the sample contract (prose deflates less than simulator text): Cairn',
      value: `${proseRatio}x (${fmtBytes(p.cairnBytes)} for ${fmtBytes(p.uniqueBytes)})`,
    }],
    keys: { storageGrowthRatio: cairn, storageGrowthNaiveRatio: naiveRatio },
    details: {
      storageGrowth: {
        turns, uniqueBytes: m.uniqueBytes, cairnBytes: m.cairnBytes, cairnLivePageBytes: m.cairnLive, naiveBytes,
        proseAnswers: { uniqueBytes: p.uniqueBytes, cairnBytes: p.cairnBytes, ratio: proseRatio },
        note: 'database files on disk after close (WAL folded in), freelist pages included',
      },
    },
  };
}
