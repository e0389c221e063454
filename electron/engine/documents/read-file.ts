// Reads a whole file through one handle and checks that what was read is what
// was there: a file that shrinks, grows, is replaced or vanishes while it is
// read is an error, not a silently truncated document.
import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { DocumentError, displayName } from './document-error.ts';

export interface ReadHooks {
  /** Test seam: runs after the file is opened and measured, before its bytes are read. */
  afterOpen?: () => Promise<void>;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * What makes a file unreadable before a byte of it is read: a folder or other non-file, an empty file, one
 * over the size limit. The one home of these checks: the pre-flight of a run and the reader both ask it.
 */
export function sizeProblem(file: string, st: Pick<Stats, 'isFile' | 'isDirectory' | 'size'>, maxBytes: number): DocumentError | null {
  const name = displayName(file);
  if (st.isDirectory()) return openError(file, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  if (!st.isFile()) return new DocumentError('not-a-file', file, `${name} is not a regular file.`, 'Add a saved document (pdf, docx, md, txt, html).');
  if (st.size === 0) return new DocumentError('empty', file, `${name} is empty (0 bytes).`, 'Check that the file was saved completely, then add it again.');
  if (st.size > maxBytes) {
    return new DocumentError(
      'too-large',
      file,
      `${name} is ${formatMb(st.size)} (${st.size} bytes), over the ${formatMb(maxBytes)} (${maxBytes} bytes) limit for one document.`,
      `Split the document into parts under ${formatMb(maxBytes)} and add the parts.`,
    );
  }
  return null;
}

export function openError(file: string, err: unknown): DocumentError {
  const name = displayName(file);
  const code = errnoCode(err);
  if (code === 'ENOENT') {
    return new DocumentError('not-found', file, `${name} was not found at ${file}.`, 'Check that the file still exists and add it again.', { cause: err });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new DocumentError('unreadable', file, `${name} cannot be read: permission denied.`, 'Give your user read access to the file, or copy it somewhere readable.', { cause: err });
  }
  if (code === 'EISDIR') {
    return new DocumentError('not-a-file', file, `${name} is a folder, not a document.`, 'Add the documents inside the folder one by one.', { cause: err });
  }
  return new DocumentError('unreadable', file, `${name} cannot be read (${code ?? String(err)}).`, 'Check the disk and the file, then try again.', { cause: err });
}

export async function readWholeFile(file: string, maxBytes: number, hooks: ReadHooks = {}): Promise<Buffer> {
  const name = displayName(file);
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw openError(file, err);
  }
  try {
    const before = await handle.stat();
    const problem = sizeProblem(file, before, maxBytes);
    if (problem !== null) throw problem;
    await hooks.afterOpen?.();

    // Read one byte more than announced so a file that grew is noticed too.
    const buffer = Buffer.alloc(before.size + 1);
    let filled = 0;
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled));
      } catch (err) {
        throw new DocumentError('unreadable', file, `${name} could not be read to the end (${errnoCode(err) ?? String(err)}).`, 'Check the disk or network share holding the file, then try again.', { cause: err });
      }
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    const changed = new DocumentError(
      'changed-during-read',
      file,
      `${name} changed or disappeared while it was being read.`,
      'Wait until the program writing or moving the file has finished, then add it again.',
    );
    if (filled !== before.size) throw changed;
    const after = await stat(file).catch(() => null);
    if (after === null || after.size !== before.size || after.ino !== before.ino || after.mtimeMs !== before.mtimeMs) throw changed;
    return buffer.subarray(0, filled);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
