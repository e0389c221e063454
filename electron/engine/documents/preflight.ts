// The checks a run makes of its documents before any work starts: each file exists, is a file of a
// supported type, is not empty and is within the size limit. Nothing is read but the directory entry,
// so a run whose every input is bad stops at once (exit 2, naming each file and why) and leaves no
// session behind; one with some bad inputs goes on with the good ones and says which it skipped.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DocumentError } from './document-error.ts';
import { formatOf, unsupportedFormatError } from './formats.ts';
import { openError, sizeProblem } from './read-file.ts';
import { DEFAULT_MAX_BYTES, type IngestOptions } from './types.ts';

export interface PreflightResult {
  /** Absolute paths of the documents that passed, in the order given. */
  ok: string[];
  /** Why each other document would be skipped, in the order given. */
  skipped: DocumentError[];
}

export async function preflightDocuments(paths: readonly string[], opts: IngestOptions = {}): Promise<PreflightResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const result: PreflightResult = { ok: [], skipped: [] };
  for (const given of paths) {
    const file = resolve(given);
    const problem = await stat(file).then(
      (st) => (formatOf(file) === null && st.isFile() ? unsupportedFormatError(file) : sizeProblem(file, st, maxBytes)),
      (err: unknown) => openError(file, err),
    );
    if (problem === null) result.ok.push(file);
    else result.skipped.push(problem);
  }
  return result;
}
