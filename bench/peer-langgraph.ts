// The peer, measured beside Cairn in the same run on the same texts and the
// same SQLite (better-sqlite3 13: the saver is handed a connection of the
// project's own, through its public `new SqliteSaver(db)`): LangGraph.js 1.7
// with @langchain/langgraph-checkpoint-sqlite 1.0, a StateGraph over
// MessagesAnnotation with one node appending a reply per step.
//
// Durability is not the same by default: the saver turns WAL on and leaves
// `synchronous` at better-sqlite3's WAL default (NORMAL: a commit is not
// fsync'd, so a power cut can take the last ones), where Cairn commits with
// FULL. The write figures are given for the saver at NORMAL and at FULL.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { Annotation, END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import Database from 'better-sqlite3';
import { CheckpointStore } from '../electron/store/checkpoint-store.ts';
import { generateAnalysis, RequestLog, startSimulator, type RequestLogEntry } from '../electron/engine/simulator/index.ts';
import { RUN_KINDS } from '../electron/engine/pipeline/analysis.ts';
import { sessionConfig, zeroUsage } from './lib/fixtures.ts';
import { fileBytes, writeBytes } from './lib/io-meter.ts';
import { type BenchContext, type BenchResult, fmtBytes, fmtMs } from './lib/report.ts';
import { median, percentile, round, seededRandom, sleep } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const LG_CHILD = path.join(here, 'children', 'langgraph-stream-child.ts');
const CAIRN_CHILD = path.join(here, 'children', 'stream-child.ts');

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

/** A database's bytes on disk: the file and its WAL. */
const dbBytes = (file: string): number => fileBytes([file, `${file}-wal`]);

interface Conversation { uniqueAt: number; bytesAt: number; writtenPerStep: number; msPerStep: number; steps: number }

/** The turns of one growing conversation: the same questions and simulator answers for both stores. */
function turns(count: number): Array<{ question: string; answer: string }> {
  const history: Message[] = [{ role: 'system', content: 'You answer questions about the master services agreement and cite clauses.' }];
  const out: Array<{ question: string; answer: string }> = [];
  for (let t = 0; t < count; t += 1) {
    const question = `Which obligations does clause ${1 + (t % 40)}.${1 + (t % 7)} create, and by when? (turn ${t + 1})`;
    history.push({ role: 'user', content: question });
    const answer = generateAnalysis(history, { words: 110 });
    history.push({ role: 'assistant', content: answer });
    out.push({ question, answer });
  }
  return out;
}

/** Stores the conversation turn by turn; sizes are taken after `sizeAt` turns, writes and time over all of them. */
async function growLangGraph(file: string, conv: ReadonlyArray<{ question: string; answer: string }>, sizeAt: number, synchronous: 'NORMAL' | 'FULL'): Promise<Conversation> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  const saver = new SqliteSaver(db);
  let turn = 0;
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('reply', () => ({ messages: [new AIMessage((conv[turn] as { answer: string }).answer)] }))
    .addEdge(START, 'reply').addEdge('reply', END)
    .compile({ checkpointer: saver });
  const config = { configurable: { thread_id: 'growing' } };
  let bytesAt = 0;
  let unique = 0;
  const w0 = writeBytes() ?? 0;
  const t0 = performance.now();
  for (turn = 0; turn < conv.length; turn += 1) {
    await graph.invoke({ messages: [new HumanMessage((conv[turn] as { question: string }).question)] }, config);
    if (turn + 1 === sizeAt) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      bytesAt = dbBytes(file);
      unique = conv.slice(0, sizeAt).reduce((n, c) => n + Buffer.byteLength(c.question) + Buffer.byteLength(c.answer), 0);
    }
  }
  const ms = performance.now() - t0;
  const written = (writeBytes() ?? 0) - w0;
  db.close();
  return { uniqueAt: unique, bytesAt, writtenPerStep: written / conv.length, msPerStep: ms / conv.length, steps: conv.length };
}

function growCairn(dir: string, conv: ReadonlyArray<{ question: string; answer: string }>, sizeAt: number): Conversation {
  const dataDir = path.join(dir, 'cairn');
  let store = CheckpointStore.open({ dataDir });
  const session = store.createSession({ name: 'growing conversation', config: sessionConfig('http://127.0.0.1:9/v1') });
  let bytesAt = 0;
  let unique = 0;
  const w0 = writeBytes() ?? 0;
  const t0 = performance.now();
  conv.forEach((c, turn) => {
    const questionHash = store.putBlob(c.question);
    for (let at = 0; at < c.answer.length; at += 120) store.appendStreamPart(session.id, `answer:${turn}`, 1, c.answer.slice(at, at + 120));
    store.completeStep(session.id, {
      stepKey: `answer:${turn}`, attempt: 1, kind: 'answer', memoKey: `peer-growth-${turn}`, state: { turn, question: questionHash }, usage: zeroUsage(turn * 200, 150),
    });
    if (turn + 1 === sizeAt) {
      store.close(); // folds the WAL in, as at the end of a run
      bytesAt = dbBytes(path.join(dataDir, 'cairn.db'));
      unique = conv.slice(0, sizeAt).reduce((n, x) => n + Buffer.byteLength(x.question) + Buffer.byteLength(x.answer), 0);
      store = CheckpointStore.open({ dataDir });
    }
  });
  const ms = performance.now() - t0;
  const written = (writeBytes() ?? 0) - w0;
  store.close();
  return { uniqueAt: unique, bytesAt, writtenPerStep: written / conv.length, msPerStep: ms / conv.length, steps: conv.length };
}

interface Loads { checkpoints: number; latestMs: number; pageMs: number }

/** A thread of `target` checkpoints whose state does not grow (a reply replaced each step): the latest state and a page of 500. */
async function langGraphLoads(file: string, target: number): Promise<Loads> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const saver = new SqliteSaver(db);
  const State = Annotation.Root({ reply: Annotation<string>(), turn: Annotation<number>() });
  const graph = new StateGraph(State)
    .addNode('answer', (s) => ({ reply: `Finding ${s.turn}: the supplier shall deliver the report within thirty days [§ ${s.turn % 40}].`.repeat(7), turn: s.turn }))
    .addEdge(START, 'answer').addEdge('answer', END)
    .compile({ checkpointer: saver });
  const config = { configurable: { thread_id: 'long' } };
  await saver.getTuple(config); // the saver creates its tables on first use
  const count = () => Number(db.prepare('SELECT count(*) FROM checkpoints').pluck().get());
  for (let turn = 0; count() < target; turn += 1) await graph.invoke({ turn, reply: '' }, config);
  const latest: number[] = [];
  const page: number[] = [];
  for (let i = 0; i < 15; i += 1) {
    let t = performance.now();
    await saver.getTuple(config);
    latest.push(performance.now() - t);
    t = performance.now();
    const rows = [];
    for await (const row of saver.list(config, { limit: 500 })) rows.push(row);
    page.push(performance.now() - t);
  }
  const n = count();
  db.close();
  return { checkpoints: n, latestMs: median(latest), pageMs: median(page) };
}

/** A session of `target` completed steps: what a resume reads (its done steps) and a timeline page of 500. */
function cairnLoads(dir: string, target: number): Loads {
  const dataDir = path.join(dir, `cairn-${target}`);
  let store = CheckpointStore.open({ dataDir });
  const session = store.createSession({ name: 'long session', config: sessionConfig('http://127.0.0.1:9/v1') });
  for (let i = 0; i < target; i += 1) {
    store.completeStep(session.id, {
      stepKey: `map:${i}`, attempt: 1, kind: 'map', memoKey: `peer-load-${target}-${i}`, state: { index: i },
      output: `Finding ${i}: the supplier shall deliver the report within thirty days [§ ${i % 40}].`.repeat(7), usage: zeroUsage(700, 200),
    });
  }
  store.close();
  store = CheckpointStore.open({ dataDir });
  const latest: number[] = [];
  const page: number[] = [];
  try {
    for (let i = 0; i < 15; i += 1) {
      let t = performance.now();
      store.headPathSteps(session.id, RUN_KINDS);
      latest.push(performance.now() - t);
      t = performance.now();
      store.timeline(session.id, { limit: 500 });
      page.push(performance.now() - t);
    }
    return { checkpoints: store.timeline(session.id, { limit: 1 }).total, latestMs: median(latest), pageMs: median(page) };
  } finally {
    store.close();
  }
}

interface Kept { sent: number; kept: number }

/** Starts `args`, waits for its first streamed piece, kills it `afterMs` later; what the simulator had sent by then. */
async function killMidStream(args: string[], afterMs: number, entryOf: () => RequestLogEntry | undefined): Promise<RequestLogEntry & { killAt: number }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout.resume();
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  let entry: RequestLogEntry | undefined;
  while (!(entry = entryOf()) || entry.content.length === 0) {
    if (Date.now() > deadline) throw new Error(`peer: the child never streamed. ${stderr.slice(0, 1_000)}`);
    await sleep(2);
  }
  await sleep(Math.max(0, (entry.content[0] as { at: number }).at + afterMs - Date.now()));
  const killAt = Date.now();
  child.kill('SIGKILL');
  await exited;
  return Object.assign(entry, { killAt });
}

async function keptAfterKill(dir: string, rounds: number, seed: number): Promise<{ cairn: Kept[]; langgraph: Kept[] }> {
  const sim = await startSimulator({ words: 300, tokensPerSecond: 200 });
  const rnd = seededRandom(seed);
  const cairn: Kept[] = [];
  const langgraph: Kept[] = [];
  const dataDir = path.join(dir, 'kill-cairn');
  const lgFile = path.join(dir, 'kill-langgraph.db');
  try {
    for (let r = 0; r < rounds; r += 1) {
      const afterMs = Math.round(100 + rnd() * 1_200);
      const store = CheckpointStore.open({ dataDir });
      const session = store.createSession({ name: `kill ${r}`, config: sessionConfig(sim.baseURL) });
      store.close();
      let before = sim.log.completions().length;
      const c = await killMidStream([CAIRN_CHILD, dataDir, session.id, sim.baseURL, '250'], afterMs, () => sim.log.completions()[before]);
      const reader = CheckpointStore.open({ dataDir });
      cairn.push({ sent: RequestLog.contentText(c, c.killAt).length, kept: reader.partial(session.id, 'map:0')?.text.length ?? 0 });
      reader.close();

      before = sim.log.completions().length;
      const thread = `kill-${r}`;
      const l = await killMidStream([LG_CHILD, lgFile, thread, sim.baseURL], afterMs, () => sim.log.completions()[before]);
      const db = new Database(lgFile);
      const saver = new SqliteSaver(db);
      const tuple = await saver.getTuple({ configurable: { thread_id: thread } });
      const values = (tuple?.checkpoint.channel_values ?? {}) as { messages?: Array<{ getType?: () => string; content?: unknown }> };
      const reply = (values.messages ?? []).filter((m) => m.getType?.() === 'ai').map((m) => String(m.content)).join('');
      db.close();
      langgraph.push({ sent: RequestLog.contentText(l, l.killAt).length, kept: reply.length });
    }
  } finally {
    await sim.close();
  }
  return { cairn, langgraph };
}

export async function peerLangGraph(ctx: BenchContext): Promise<BenchResult> {
  const steps = ctx.quick ? 60 : 2_000;
  const sizeAt = ctx.quick ? 50 : 500;
  const loadSizes = ctx.quick ? [200] : [2_000, 10_000];
  const kills = ctx.quick ? 2 : 20;
  return withTempDir('peer', async (dir) => {
    const conv = turns(steps);
    const cairn = growCairn(dir, conv, sizeAt);
    ctx.log(`Cairn: ${steps} growing steps stored`);
    const lgNormal = await growLangGraph(path.join(dir, 'lg-normal.db'), conv, sizeAt, 'NORMAL');
    ctx.log(`LangGraph (synchronous=NORMAL): ${steps} growing steps stored`);
    const lgFull = await growLangGraph(path.join(dir, 'lg-full.db'), conv, sizeAt, 'FULL');
    ctx.log(`LangGraph (synchronous=FULL): ${steps} growing steps stored`);
    for (const f of ['lg-normal.db', 'lg-full.db']) rmSync(path.join(dir, f), { force: true });

    const loads: Array<{ size: number; cairn: Loads; langgraph: Loads }> = [];
    for (const size of loadSizes) {
      loads.push({ size, cairn: cairnLoads(dir, size), langgraph: await langGraphLoads(path.join(dir, `lg-load-${size}.db`), size) });
      ctx.log(`latest state and history page at ${size} checkpoints measured`);
    }
    const killed = await keptAfterKill(dir, kills, ctx.seed);
    const keptShare = (k: Kept[]) => round(k.reduce((n, x) => n + x.kept, 0) / Math.max(1, k.reduce((n, x) => n + x.sent, 0)), 3);
    const keptChars = (k: Kept[]) => round(median(k.map((x) => x.kept)), 0);
    const lostChars = (k: Kept[]) => round(percentile(k.map((x) => Math.max(0, x.sent - x.kept)), 50), 0);

    const ratio = (c: Conversation) => round(c.bytesAt / c.uniqueAt, 2);
    const big = loads.at(-1) as { size: number; cairn: Loads; langgraph: Loads };
    const rows = [
      { benchmark: 'Peer: LangGraph.js', metric: `storage after ${sizeAt} growing turns, DB bytes / unique content: Cairn vs LangGraph`, value: `${ratio(cairn)}x vs ${ratio(lgNormal)}x (${fmtBytes(cairn.bytesAt)} vs ${fmtBytes(lgNormal.bytesAt)})` },
      { benchmark: 'Peer: LangGraph.js', metric: `bytes written per step over ${steps} growing steps: Cairn (FULL) vs LangGraph NORMAL / FULL`, value: `${fmtBytes(cairn.writtenPerStep)} vs ${fmtBytes(lgNormal.writtenPerStep)} / ${fmtBytes(lgFull.writtenPerStep)}` },
      { benchmark: 'Peer: LangGraph.js', metric: `time per step over ${steps} growing steps: Cairn (FULL) vs LangGraph NORMAL / FULL`, value: `${fmtMs(cairn.msPerStep)} vs ${fmtMs(lgNormal.msPerStep)} / ${fmtMs(lgFull.msPerStep)}` },
      ...loads.map((l) => ({
        benchmark: 'Peer: LangGraph.js',
        metric: `${l.size.toLocaleString('en')} checkpoints: latest state (Cairn: what a resume reads; LangGraph: getTuple) / history page of 500, median`,
        value: `Cairn ${fmtMs(l.cairn.latestMs)} / ${fmtMs(l.cairn.pageMs)} vs LangGraph ${fmtMs(l.langgraph.latestMs)} / ${fmtMs(l.langgraph.pageMs)}`,
      })),
      { benchmark: 'Peer: LangGraph.js', metric: `SIGKILL mid-stream x${kills} (200 tok/s): share of the sent text kept; median characters kept / lost`, value: `Cairn ${keptShare(killed.cairn)} (${keptChars(killed.cairn)} / ${lostChars(killed.cairn)}) vs LangGraph ${keptShare(killed.langgraph)} (${keptChars(killed.langgraph)} / ${lostChars(killed.langgraph)})` },
    ];
    return {
      rows,
      keys: {
        peers: {
          langgraph: {
            storageGrowthRatio: ratio(lgNormal), bytesPerStep: Math.round(lgNormal.writtenPerStep), bytesPerStepFull: Math.round(lgFull.writtenPerStep),
            msPerStep: round(lgNormal.msPerStep, 2), msPerStepFull: round(lgFull.msPerStep, 2),
            loadLatestMs10k: round(big.langgraph.latestMs, 2), historyPageMs10k: round(big.langgraph.pageMs, 2),
            keptAfterKillChars: keptChars(killed.langgraph), keptAfterKillShare: keptShare(killed.langgraph),
          },
          cairn: {
            storageGrowthRatio: ratio(cairn), bytesPerStep: Math.round(cairn.writtenPerStep), msPerStep: round(cairn.msPerStep, 2),
            loadLatestMs10k: round(big.cairn.latestMs, 2), historyPageMs10k: round(big.cairn.pageMs, 2),
            keptAfterKillChars: keptChars(killed.cairn), keptAfterKillShare: keptShare(killed.cairn),
          },
        },
      },
      details: {
        peerLangGraph: {
          versions: { langgraph: '1.7.3', checkpointSqlite: '1.0.4' }, steps, sizeAt, loadSizes: loadSizes.map((s) => s),
          loads: loads.map((l) => ({ size: l.size, cairnCheckpoints: l.cairn.checkpoints, langgraphCheckpoints: l.langgraph.checkpoints })),
          kills: { cairn: killed.cairn.map((k) => ({ ...k })), langgraph: killed.langgraph.map((k) => ({ ...k })) },
        },
      },
    };
  });
}
