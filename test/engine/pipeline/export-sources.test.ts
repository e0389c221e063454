// The JSON export is machine-readable about sources: every finding and citation carries its document
// (name, sha256), its pages ({from, to}, PDFs) and its section (key and heading path), and the mark of the
// quote check.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runSession } from '../../../electron/engine/pipeline/analysis.ts';
import { toJson } from '../../../electron/engine/pipeline/export.ts';
import { readResults, toExportModel } from '../../../electron/engine/pipeline/read-model.ts';
import { makeLegalFixtures } from '../../fixtures/documents/make-legal-fixtures.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await env?.cleanup();
  env = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const deps = (e: PipelineEnv) => ({ store: e.store, owner: `test-${process.pid}`, retry: { baseMs: 5, capMs: 20 } });
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface Source {
  document: { name: string; sha256: string } | null;
  pages: { from: number; to: number } | null;
  section: { key: string; path: string[] } | null;
  quoteCheck: string;
}

describe('JSON export sources', () => {
  test('a PDF: pages {from, to}, the document and the mark on every finding and citation', async () => {
    env = await pipelineEnv({ words: 60 });
    const dir = mkdtempSync(join(tmpdir(), 'cairn-export-'));
    dirs.push(dir);
    const { twoColumnPdf } = await makeLegalFixtures(dir);
    const s = env.store.createSession({ name: 'pdf', config: env.config({ documents: [twoColumnPdf], chunkTokens: 64, overlapTokens: 0 }) });
    expect((await runSession(s.id, deps(env))).status).toBe('done');
    const json = JSON.parse(toJson(toExportModel(readResults(env.store, s.id)))) as { findings: Source[]; citations: Source[] };
    expect(json.findings.length).toBeGreaterThan(1);
    const doc = { name: 'two-column.pdf', sha256: sha256(twoColumnPdf) };
    for (const f of json.findings) {
      expect(f.document).toEqual(doc);
      expect(f.pages).toEqual({ from: expect.any(Number), to: expect.any(Number) });
      expect(f.pages!.from).toBeLessThanOrEqual(f.pages!.to);
      expect(f.quoteCheck).toBe('verified');
    }
    expect(json.findings.map((f) => f.pages!.from)).toContain(2);
    expect(json.citations.length).toBeGreaterThan(0);
    for (const c of json.citations) expect(c).toMatchObject({ document: doc, pages: { from: expect.any(Number) }, quoteCheck: 'verified' });
  });

  test('a sectioned document: section key and heading path, no pages', async () => {
    env = await pipelineEnv({}, 3);
    const s = env.store.createSession({ name: 'md', config: env.config() });
    expect((await runSession(s.id, deps(env))).status).toBe('done');
    const json = JSON.parse(toJson(toExportModel(readResults(env.store, s.id)))) as { findings: Source[] };
    const withSection = json.findings.filter((f) => f.section !== null);
    expect(withSection.length).toBeGreaterThan(1);
    for (const f of json.findings) expect(f.pages).toBeNull();
    const f = withSection.find((x) => x.section!.key === '2.1');
    expect(f?.section?.path).toEqual(['Services Agreement between Northwind Analytics Ltd and Harbor Freight Systems', '2. Clause 2', '2.1 Provision 2.1']);
    expect(f?.document).toEqual({ name: 'contract.md', sha256: sha256(env.doc) });
  });
});
