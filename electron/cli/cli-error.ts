// Errors the CLI reports with an exit code a script can act on (the table is
// in the README's CLI section, and test/cli/exit-table.test.ts walks it):
// 2 usage or bad input, 3 configuration or auth, 4 paused and resumable,
// 130 interrupted, 1 anything else.
import { cliHint } from './cli-hints.ts';

export type ExitCode = 0 | 1 | 2 | 3 | 4 | 130;

export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly code: string;
  constructor(exitCode: ExitCode, code: string, message: string, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.code = code;
    this.hint = hint;
  }
}

const BY_CODE: Record<string, ExitCode> = {
  invalid_id: 2, not_found: 2, invalid_input: 2, not_ready: 2, no_documents: 2, not_resumable: 2, duplicate: 2, conflict: 2,
  corrupt: 3, newer_schema: 3, auth: 3, data_dir_unusable: 3,
  lease_held: 4, disk_full: 4, read_only: 4, permission_denied: 4, busy: 4, io_error: 4,
};

/** Maps a thrown store/engine/analysis error to an exit code and a message. */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  const e = err as { code?: unknown; category?: unknown; message?: unknown; hint?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? e.code : 'internal';
  const hint = cliHint({ code, hint: typeof e?.hint === 'string' ? e.hint : '' });
  if (typeof e?.category === 'string') {
    const cat = e.category;
    const exit: ExitCode = cat === 'auth' || cat === 'model_not_found' || cat === 'invalid_request' ? 3 : cat === 'cancelled' ? 130 : cat === 'internal' ? 1 : 4;
    return new CliError(exit, code, message, hint);
  }
  return new CliError(BY_CODE[code] ?? 1, code, message, hint);
}
