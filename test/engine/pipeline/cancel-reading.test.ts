// Stopping while a document is read or chunked: the reader's worker is stopped and the chunker yields,
// so the stop is heard at once, not after the whole document (asserted by order: the abort is scheduled
// before chunking starts and must win against it).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { assembleBlocks } from '../../../electron/engine/documents/assemble.ts';
import { ingestInWorker } from '../../../electron/engine/documents/ingest-in-worker.ts';
import type { IngestedDocument } from '../../../electron/engine/documents/types.ts';
import { runSession } from '../../../electron/engine/pipeline/analysis.ts';
import { paragraph, prng } from '../documents/synthetic-document.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

function bigDocument(path: string): IngestedDocument {
  const rnd = prng(7);
  const { text, sourceMap } = assembleBlocks(Array.from({ length: 6_000 }, () => ({ kind: 'paragraph' as const, text: paragraph(rnd) })));
  return { path, name: 'big.txt', format: 'txt', sha256: 'b'.repeat(64), textSha256: 'c'.repeat(64), bytes: text.length, text, sourceMap, pages: null, warnings: [] };
}

describe('stopping while a document is read', () => {
  test('a stop that arrives while a long document is chunked stops the run there: exit 130, resumable, nothing chunked or sent', async () => {
    env = await pipelineEnv();
    const s = env.store.createSession({ name: 'big', config: env.config() });
    const controller = new AbortController();
    const out = await runSession(s.id, {
      store: env.store, owner: `test-${process.pid}`,
      ingest: async (path) => {
        // The stop arrives on the next turn of the event loop: after reading, while chunking has just begun.
        setImmediate(() => controller.abort(new Error('received SIGINT')));
        return bigDocument(path);
      },
    }, { signal: controller.signal });
    expect(out).toMatchObject({ status: 'paused', exitCode: 130, reason: { code: 'stopped' } });
    const kinds = env.store.headPath(s.id).map((c) => c.kind);
    expect(kinds).toContain('document');
    expect(kinds).not.toContain('chunks');
    expect(env.sim.log.completions()).toHaveLength(0);
  });

  test('the reader in its worker stops when asked, rejecting with the cancellation given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-cancel-'));
    try {
      const file = join(dir, 'doc.md');
      await writeFile(file, '# Title\n\nSome text.\n');
      const controller = new AbortController();
      const stopped = new Error('stopped');
      const reading = ingestInWorker(file, { signal: controller.signal, onAbort: () => stopped });
      controller.abort();
      await expect(reading).rejects.toBe(stopped);
      await expect(ingestInWorker(file, { signal: controller.signal, onAbort: () => stopped })).rejects.toBe(stopped);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
