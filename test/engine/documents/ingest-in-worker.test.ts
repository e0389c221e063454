import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../../../electron/engine/documents/document-error.ts';
import { ingestFile } from '../../../electron/engine/documents/ingest.ts';
import { ingestInWorker } from '../../../electron/engine/documents/ingest-in-worker.ts';
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
