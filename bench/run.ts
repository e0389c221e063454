// `npm run bench`: every benchmark of issue 8 (and issue 3's commit latency)
// in one run, one table, and bench/results.json. `--quick` runs the same code
// at small sizes (part of `npm test`) and writes bench/results.quick.json;
// `--only=NAME[,NAME] --update` re-measures some and updates results.json.
// Benchmarks print figures; they never fail on speed, only on a crash.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitLatency } from './commit-latency.ts';
import { writeAmplification, writePerStep } from './write-amplification.ts';
import { streamOverhead } from './stream-overhead.ts';
import { lossWindow } from './loss-window.ts';
import { storageGrowth } from './storage-growth.ts';
import { listing } from './listing.ts';
import { mapReduce } from './map-reduce.ts';
import { resumeTime } from './resume-time.ts';
import { rendererSmoothness } from './renderer-smoothness.ts';
import { peerLangGraph } from './peer-langgraph.ts';
import { ingestion } from './ingestion.ts';
import { powerCut } from './power-cut.ts';
import { rateLimited } from './rate-limited.ts';
import { describeMachine } from './lib/machine.ts';
import { type BenchContext, type BenchResult, type BenchRow, type JsonNumberTree, printTable } from './lib/report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? null;
const seedArg = process.argv.find((a) => a.startsWith('--seed='));
const seed = seedArg ? Number(seedArg.slice('--seed='.length)) : Math.floor(Math.random() * 2 ** 31);

const ctx: BenchContext = {
  quick,
  seed,
  log: (m) => process.stderr.write(`  · ${m}\n`),
};

const BENCHMARKS: Array<{ name: string; run: (c: BenchContext) => Promise<BenchResult> }> = [
  { name: 'stream-overhead', run: streamOverhead },
  { name: 'commit-latency', run: commitLatency },
  { name: 'write-amplification', run: writeAmplification },
  { name: 'write-per-step', run: writePerStep },
  { name: 'loss-window', run: lossWindow },
  { name: 'resume-time', run: resumeTime },
  { name: 'storage-growth', run: storageGrowth },
  { name: 'listing', run: listing },
  { name: 'renderer', run: rendererSmoothness },
  { name: 'map-reduce', run: mapReduce },
  { name: 'peer-langgraph', run: peerLangGraph },
  { name: 'ingestion', run: ingestion },
  { name: 'power-cut', run: powerCut },
  { name: 'rate-limited', run: rateLimited },
];

const machine = describeMachine();
process.stderr.write(`cairn bench${quick ? ' --quick' : ''}: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, ${machine.filesystem}, seed ${seed}\n`);

const started = Date.now();
const rows: BenchRow[] = [];
const keys: Record<string, JsonNumberTree> = {};
const details: Record<string, JsonNumberTree> = {};
const timings: Record<string, number> = {};
for (const b of BENCHMARKS) {
  if (only && !only.includes(b.name)) continue;
  const t = Date.now();
  process.stderr.write(`▶ ${b.name}\n`);
  const r = await b.run(ctx);
  timings[b.name] = Math.round((Date.now() - t) / 100) / 10;
  process.stderr.write(`  done in ${timings[b.name]} s\n`);
  rows.push(...r.rows);
  Object.assign(keys, r.keys);
  Object.assign(details, r.details);
}

const command = `npm run bench${quick ? ' -- --quick' : ''}${only ? ` -- --only=${only.join(',')}` : ''} (seed ${seed})`;
console.log('');
console.log(printTable(rows));
console.log(`\n${command}; ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; ${Math.round((Date.now() - started) / 1000)} s in all.`);

const out = {
  generatedAt: new Date().toISOString(),
  command,
  quick,
  seed,
  machine,
  ...keys,
  details,
  secondsPerBenchmark: timings,
};
// `--only=a,b --update`: the figures of those benchmarks replace theirs in results.json; which run measured
// which benchmark stays on record (`runs`), so a file that mixes runs says so.
const update = only !== null && !quick && process.argv.includes('--update');
const file = path.join(here, update || (!quick && !only) ? 'results.json' : 'results.quick.json');
let written: Record<string, unknown> = out;
if (update) {
  const previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { details?: Record<string, unknown>; runs?: Record<string, unknown>; secondsPerBenchmark?: Record<string, unknown> };
  const run = { generatedAt: out.generatedAt, command, seed, machine };
  const runs = { ...(previous.runs ?? Object.fromEntries(Object.keys(previous.secondsPerBenchmark ?? {}).map((b) => [b, { generatedAt: previous['generatedAt'], command: previous['command'] }]))) };
  for (const b of only) runs[b] = run;
  written = { ...previous, ...keys, details: { ...previous.details, ...details }, secondsPerBenchmark: { ...previous.secondsPerBenchmark, ...timings }, runs };
}
writeFileSync(file, `${JSON.stringify(written, null, 2)}\n`);
process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
