// Issue 8 item 4: from process start to the first new token when the CLI
// resumes a session with ~10,000 checkpoints and ~5 MB of content
// (`cairn resume <id> --json`, timed from spawn to the first `delta` line).
// The session is built by the real pipeline over a document with small chunks,
// stopped a few steps before the end, then taken to size with note
// checkpoints (see children/build-resume-session.ts for why).
// bin/cairn.js runs the bundle from `npm run build` when it is up to date with
// the sources, else the sources: the table says which ran, and with a bundle,
// the same resume from the sources is timed afterwards for comparison.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { BUNDLE_DIR_NAME, FROM_SOURCES_ENV, freshBundle } from '../electron/cli/cli-bundle.ts';
import { ROOT, SAMPLE } from './lib/fixtures.ts';
import { type BenchContext, type BenchResult, fmtBytes, fmtMs } from './lib/report.ts';
import { median, round } from './lib/stats.ts';
import { withTempDir } from './lib/temp.ts';

const BUILDER = path.join(ROOT, 'bench', 'children', 'build-resume-session.ts');
const CLI = path.join(ROOT, 'bin', 'cairn.js');
const Built = z.object({ sessionId: z.string(), status: z.string(), reason: z.string().nullable(), pipelineCheckpoints: z.number(), checkpoints: z.number(), contentBytes: z.number(), maps: z.number() });

/** The sample contract repeated, each copy marked so every passage (and so every memo key) is distinct. */
function largeDocument(file: string, bytes: number): void {
  const sample = readFileSync(SAMPLE, 'utf8');
  const parts: string[] = [];
  let size = 0;
  for (let copy = 1; size < bytes; copy += 1) {
    const marked = sample.replace(/^(?=\S)/gm, `(Schedule ${copy}) `);
    parts.push(marked);
    size += Buffer.byteLength(marked);
  }
  writeFileSync(file, parts.join('\n\n'));
}

function runChild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => resolve({ stdout, stderr, code }));
  });
}

/** Spawns the CLI and resolves at its first streamed token; the process is then killed (the rest of the run is not measured). */
function timeToFirstToken(dataDir: string, sessionId: string, env: NodeJS.ProcessEnv = process.env): Promise<{ firstTokenMs: number; sessionLineMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, '--json', 'resume', sessionId], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let buffered = '';
    let stderr = '';
    let sessionLineMs = Number.NaN;
    let settled = false;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.includes('"type":"session"') && Number.isNaN(sessionLineMs)) sessionLineMs = performance.now() - t0;
        if (line.includes('"type":"delta"') && !settled) {
          settled = true;
          const firstTokenMs = performance.now() - t0;
          child.kill('SIGKILL');
          resolve({ firstTokenMs, sessionLineMs });
        }
      }
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`resume time: the CLI exited (${code}) before streaming a token. ${stderr.slice(0, 2_000)} ${buffered.slice(0, 500)}`));
    });
  });
}

export async function resumeTime(ctx: BenchContext): Promise<BenchResult> {
  const targetMaps = 2_000; // capped by the document's chunk count (5 steps are left undone)
  const targetCheckpoints = ctx.quick ? 1_000 : 10_000;
  const targetBytes = ctx.quick ? 500_000 : 5_000_000;
  // One analysis holds at most ~1,000 chunks (its chunk list is one checkpoint state, capped at 200,000 characters).
  const docBytes = ctx.quick ? 100_000 : 200_000;
  const repeats = ctx.quick ? 2 : 5;
  return withTempDir('resume', async (dir) => {
    const doc = path.join(dir, 'large-contract.md');
    largeDocument(doc, docBytes);
    const dataDir = path.join(dir, 'data');
    const t = Date.now();
    const built = await runChild([BUILDER, dataDir, doc, String(targetMaps), '50', String(targetCheckpoints), String(targetBytes)]);
    if (built.code !== 0) throw new Error(`resume time: building the session failed. ${built.stderr.slice(0, 2_000)}`);
    const info = Built.parse(JSON.parse(built.stdout.trim().split('\n').at(-1) ?? '{}'));
    if (info.status !== 'paused') throw new Error(`resume time: building the session ended ${info.status}: ${info.reason ?? ''}`);
    ctx.log(`built ${info.pipelineCheckpoints} checkpoints by the pipeline (${info.maps} map steps), ${info.checkpoints} with notes, ${fmtBytes(info.contentBytes)} in ${((Date.now() - t) / 1000).toFixed(1)} s (${info.status})`);

    const baseline: number[] = [];
    const first: number[] = [];
    const sessionLine: number[] = [];
    for (let i = 0; i < repeats; i += 1) {
      // Node's own start-up on this machine, for scale: the part of the figure Cairn does not control.
      const t0 = performance.now();
      await runChild(['-e', '0']);
      baseline.push(performance.now() - t0);
      const r = await timeToFirstToken(dataDir, info.sessionId);
      first.push(r.firstTokenMs);
      sessionLine.push(r.sessionLineMs);
    }
    const resumeMs = round(median(first), 1);
    const bundled = freshBundle(path.join(ROOT, BUNDLE_DIR_NAME)) !== null;
    // For comparison only, after the measured runs: the same resume with the bundle set aside.
    const fromSources = { first: [] as number[], sessionLine: [] as number[] };
    if (bundled) {
      for (let i = 0; i < repeats; i += 1) {
        const r = await timeToFirstToken(dataDir, info.sessionId, { ...process.env, [FROM_SOURCES_ENV]: '1' });
        fromSources.first.push(r.firstTokenMs);
        fromSources.sessionLine.push(r.sessionLineMs);
      }
    }
    return {
      rows: [
        { benchmark: 'Resume time', metric: `cairn resume --json, ${info.checkpoints.toLocaleString('en')} checkpoints / ${fmtBytes(info.contentBytes)} of content: process start → first new token, median of ${repeats}`, value: fmtMs(resumeMs), target: '≤ 300 ms' },
        { benchmark: 'Resume time', metric: 'of which: process start → session opened (first NDJSON line) / bare `node -e 0`', value: `${fmtMs(median(sessionLine))} / ${fmtMs(median(baseline))}` },
        {
          benchmark: 'Resume time',
          metric: bundled ? 'code run: the bundle from `npm run build` (up to date); from the TypeScript sources instead: first token / session opened' : 'code run: the TypeScript sources (no up-to-date bundle: `npm run build` makes one)',
          value: bundled ? `bundle; ${fmtMs(median(fromSources.first))} / ${fmtMs(median(fromSources.sessionLine))}` : 'sources',
        },
      ],
      keys: { resumeMs },
      details: {
        resume: {
          checkpoints: info.checkpoints, pipelineCheckpoints: info.pipelineCheckpoints, contentBytes: info.contentBytes, mapStepsCommitted: info.maps, builtStatus: info.status,
          firstTokenMs: first.map((x) => round(x, 1)), sessionOpenedMs: sessionLine.map((x) => round(x, 1)), bareNodeStartMs: baseline.map((x) => round(x, 1)),
          bundle: bundled,
          fromSourcesFirstTokenMs: fromSources.first.map((x) => round(x, 1)), fromSourcesSessionOpenedMs: fromSources.sessionLine.map((x) => round(x, 1)),
        },
      },
    };
  });
}
