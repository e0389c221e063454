import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../../../electron/engine/documents/document-error.ts';
import { ingestFile } from '../../../electron/engine/documents/ingest.ts';
import { ingestInWorker } from '../../../electron/engine/documents/ingest-in-worker.ts';
import { ingestMany } from '../../../electron/engine/documents/ingest-many.ts';
import { makeDocumentFixtures, type DocumentFixtures } from '../../fixtures/documents/make-fixtures.ts';

let f: DocumentFixtures;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-ingest-worker-'));
  f = await makeDocumentFixtures(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ingestInWorker', () => {
  it('returns exactly what ingestFile returns on this thread', async () => {
    const [inWorker, direct] = await Promise.all([ingestInWorker(f.textPdf), ingestFile(f.textPdf)]);
    expect(inWorker).toEqual(direct);
    expect(await ingestInWorker(f.docx)).toEqual(await ingestFile(f.docx));
  });

  it('rebuilds a DocumentError thrown in the worker, with its code, file and hint', async () => {
    const err = await ingestInWorker(f.encryptedPdf).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentError);
    const docErr = err as DocumentError;
    expect(docErr.code).toBe('encrypted');
    expect(docErr.file).toBe(f.encryptedPdf);
    expect(docErr.hint).toContain('password');
  });

  it('passes the size limit through', async () => {
    const err = await ingestInWorker(f.markdown, { maxBytes: 10 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'too-large' });
  });

  it('stops the worker and reports a timeout', async () => {
    const err = await ingestInWorker(f.textPdf, { timeoutMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentError);
    expect(err).toMatchObject({ code: 'timeout', file: f.textPdf });
    expect((err as DocumentError).message).toContain('text.pdf took longer than');
  });
});

describe('ingestMany', () => {
  it('gives each file its own result: bad files fail alone, duplicates point at the first copy', async () => {
    const copy = join(dir, 'text-copy.pdf');
    await copyFile(f.textPdf, copy);
    const docx = await ingestFile(f.docx);
    const paths = [f.textPdf, f.encryptedPdf, copy, f.empty, f.docx, f.markdown];
    const results = await ingestMany(paths, { existing: [{ path: '/earlier/headings.docx', sha256: docx.sha256 }] });
    expect(results.map((r) => r.path)).toEqual(paths);
    expect(results.map((r) => (r.ok ? (r.duplicateOf ?? 'new') : r.error.code))).toEqual(['new', 'encrypted', f.textPdf, 'empty', '/earlier/headings.docx', 'new']);
    const [first, , second] = results;
    expect(first?.ok && second?.ok && first.doc.sha256 === second.doc.sha256).toBe(true);
  });
});
