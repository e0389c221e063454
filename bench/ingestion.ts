// Issue 17 item 2: ingestion at data-room scale. Each input is read by the real pipeline in a child
// process of its own (ingest in the worker, store, chunk, store, up to the chunking checkpoint), which
// reports its peak RSS; throughput is MB/s of input and pages/s for the PDF. The target is peak RSS
// ≤ 300 MB + 2× the document's text.
import { spawn } from 'node:child_process';
import { createWriteStream, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { z } from 'zod';
import { seededRandom } from '../shared/seeded-random.ts';
import { type BenchContext, type BenchResult, type BenchRow, fmtBytes } from './lib/report.ts';
import { withTempDir } from './lib/temp.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children', 'ingest-child.ts');
const ChildLine = z.object({ seconds: z.number(), pages: z.number().nullable(), chunked: z.boolean(), peakRssBytes: z.number() });
const MB = 1024 * 1024;
const WORDS = 'supplier customer shall deliver services within thirty business days invoice payment terms liability indemnity confidential information termination notice period renewal warranty acceptance milestone'.split(' ');

/** A plain-text contract of `bytes` bytes: numbered sections of generated sentences, written as a stream. */
async function writeText(file: string, bytes: number, seed: number): Promise<void> {
  const rnd = seededRandom(seed);
  const out = createWriteStream(file);
  let written = 0;
  let section = 0;
  while (written < bytes) {
    let block = `${++section} Section ${section}\n\n`;
    for (let p = 0; p < 8; p++) {
      const words = Array.from({ length: 80 }, () => WORDS[Math.floor(rnd() * WORDS.length)] ?? 'term');
      block += `${words.join(' ')}.\n\n`;
    }
    written += Buffer.byteLength(block);
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
}

/** A PDF of `pages` pages of text (the 311-page class of manual). */
async function writePdf(file: string, pages: number, seed: number): Promise<void> {
  const rnd = seededRandom(seed);
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = pdf.addPage([595, 842]);
    for (let l = 0; l < 50; l++) {
      const line = Array.from({ length: 12 }, () => WORDS[Math.floor(rnd() * WORDS.length)] ?? 'term').join(' ');
      page.drawText(line, { x: 40, y: 800 - l * 15, size: 10, font });
    }
  }
  writeFileSync(file, await pdf.save());
}

function runChild(dataDir: string, file: string): Promise<z.infer<typeof ChildLine>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dataDir, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(ChildLine.parse(JSON.parse(line)));
      } catch {
        reject(new Error(`ingestion child exited ${code}: ${err.slice(-2000)}`));
      }
    });
  });
}

export async function ingestion(ctx: BenchContext): Promise<BenchResult> {
  const inputs: Array<{ name: string; make: (file: string) => Promise<void>; ext: string }> = ctx.quick
    ? [
        { name: 'text 2 MB', ext: 'txt', make: (f) => writeText(f, 2 * MB, ctx.seed) },
        { name: 'PDF 24 pages', ext: 'pdf', make: (f) => writePdf(f, 24, ctx.seed) },
      ]
    : [
        { name: 'text 50 MB', ext: 'txt', make: (f) => writeText(f, 50 * MB, ctx.seed) },
        { name: 'text 150 MB', ext: 'txt', make: (f) => writeText(f, 150 * MB, ctx.seed) },
        { name: 'PDF 311 pages', ext: 'pdf', make: (f) => writePdf(f, 311, ctx.seed) },
      ];
  const rows: BenchRow[] = [];
  const details: Record<string, { bytes: number; seconds: number; pages: number | null; peakRssBytes: number }> = {};
  for (const input of inputs) {
    await withTempDir('ingestion', async (dir) => {
      const file = path.join(dir, `input.${input.ext}`);
      await input.make(file);
      const bytes = statSync(file).size;
      const r = await runChild(path.join(dir, 'data'), file);
      if (!r.chunked) throw new Error(`ingestion: ${input.name} was not chunked`);
      ctx.log(`${input.name}: ${r.seconds.toFixed(1)} s, peak RSS ${fmtBytes(r.peakRssBytes)}`);
      details[input.name] = { bytes, seconds: r.seconds, pages: r.pages, peakRssBytes: r.peakRssBytes };
      const throughput = `${(bytes / MB / r.seconds).toFixed(2)} MB/s${r.pages ? `, ${(r.pages / r.seconds).toFixed(1)} pages/s` : ''}`;
      // For a text file the text is about as many characters as bytes: the target in the issue's terms.
      const target = 300 * MB + 2 * bytes;
      rows.push({ benchmark: 'ingestion', metric: `${input.name}: throughput (ingest, store, chunk)`, value: throughput });
      rows.push({ benchmark: 'ingestion', metric: `${input.name}: peak RSS`, value: fmtBytes(r.peakRssBytes), target: `≤ ${fmtBytes(target)}` });
    });
  }
  return { rows, keys: { ingestion: details }, details: {} };
}
