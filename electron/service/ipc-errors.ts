// Turns anything thrown by a handler into the plain `{code, message, hint}`
// value that crosses the bridge. Errors carrying a code (store, engine,
// document errors) keep their reason; anything else is reported as internal
// without leaking a stack to the page.
import { ReasonParamsSchema } from '../../shared/domain.ts';
import type { IpcError } from '../../shared/ipc/define.ts';

export class IpcFailure extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, hint?: string) {
    super(message);
    this.name = 'IpcFailure';
    this.code = code;
    this.hint = hint;
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

export function toIpcError(err: unknown): IpcError {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; hint?: unknown };
    if (typeof e.code === 'string' && typeof e.message === 'string' && /^[a-z][a-z0-9_.-]{0,63}$/i.test(e.code)) {
      const out: IpcError = { code: e.code, message: clip(e.message, 4_000) };
      if (typeof e.hint === 'string') out.hint = clip(e.hint, 1_000);
      const params = ReasonParamsSchema.safeParse((err as { params?: unknown }).params);
      if (params.success && Object.keys(params.data).length) out.params = params.data;
      return out;
    }
    if (typeof e.message === 'string') return { code: 'internal', message: clip(`Unexpected error: ${e.message}`, 4_000), hint: 'This is a bug in Cairn. Your data is safe; try again, and report it if it repeats.' };
  }
  return { code: 'internal', message: 'Unexpected error.', hint: 'This is a bug in Cairn. Your data is safe; try again, and report it if it repeats.' };
}
