// One set of limits, checked before any work starts: each file's directory entry is enough to refuse it,
// and the message names the limit and the file's size.
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preflightDocuments } from '../../../electron/engine/documents/preflight.ts';
import { DEFAULT_MAX_BYTES } from '../../../electron/engine/documents/types.ts';
import { MAX_BLOB_CHARS } from '../../../electron/store/checkpoints.ts';
import { splitText, TEXT_PART_CHARS } from '../../../electron/engine/pipeline/stored-text.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-preflight-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflightDocuments', () => {
  it('passes a file of exactly the limit and refuses one byte more, naming the limit and the size (sparse files: nothing is read)', async () => {
    const atLimit = join(dir, 'at-limit.txt');
    const over = join(dir, 'over.txt');
    await writeFile(atLimit, '');
    await truncate(atLimit, DEFAULT_MAX_BYTES);
    await writeFile(over, '');
    await truncate(over, DEFAULT_MAX_BYTES + 1);
    const { ok, skipped } = await preflightDocuments([atLimit, over]);
    expect(ok).toEqual([atLimit]);
    expect(skipped.map((e) => e.code)).toEqual(['too-large']);
    expect(skipped[0]?.message).toBe(`over.txt is 200.0 MB (${DEFAULT_MAX_BYTES + 1} bytes), over the 200.0 MB (${DEFAULT_MAX_BYTES} bytes) limit for one document.`);
    expect(skipped[0]?.hint).not.toMatch(/Settings/);
  });

  it('says which files are skipped and why: empty, missing, a folder, an unsupported type', async () => {
    const good = join(dir, 'good.md');
    const empty = join(dir, 'empty.txt');
    const folder = join(dir, 'folder.md');
    const sheet = join(dir, 'sheet.xlsx');
    await writeFile(good, '# Title\n\nText.\n');
    await writeFile(empty, '');
    await mkdir(folder, { recursive: true });
    await writeFile(sheet, 'PK');
    const { ok, skipped } = await preflightDocuments([good, empty, join(dir, 'missing.pdf'), folder, sheet]);
    expect(ok).toEqual([good]);
    expect(skipped.map((e) => [e.code, e.file])).toEqual([
      ['empty', empty], ['not-found', join(dir, 'missing.pdf')], ['not-a-file', folder], ['unsupported-format', sheet],
    ]);
    expect(skipped[0]?.message).toBe('empty.txt is empty (0 bytes).');
  });
});

describe('the limits agree', () => {
  it('any text a document within the limit can hold is stored in parts each within the store limit on one blob', () => {
    // A text file's text has at most one character per byte; a PDF or DOCX text can be longer than its file,
    // which parts allow too: no part is ever over TEXT_PART_CHARS.
    expect(TEXT_PART_CHARS).toBeLessThanOrEqual(MAX_BLOB_CHARS);
    expect(DEFAULT_MAX_BYTES).toBeGreaterThan(MAX_BLOB_CHARS);
    const parts = splitText('ab😀cd😀ef'.repeat(5), 4);
    expect(parts.join('')).toBe('ab😀cd😀ef'.repeat(5));
    expect(parts.every((p) => p.length <= 4 && !/[\ud800-\udbff]$/.test(p) && !/^[\udc00-\udfff]/.test(p))).toBe(true);
  });
});
