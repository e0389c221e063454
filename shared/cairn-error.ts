// The one error class. Every layer (store, documents, engine, analysis,
// service, CLI, renderer) throws a CairnError; what distinguishes them is the
// code, never the class. What crosses a boundary is its Reason — `{code,
// params}` plus the English message and hint — and the other side rebuilds a
// CairnError from it. `data` carries what only the throwing layer needs to
// decide what happens next (an engine failure's category and retry time, a
// damaged store's newest backup); it never crosses a boundary.
// Runtime-free: no Node, no DOM.
import { ReasonSchema, type Reason, type ReasonParams } from './domain.ts';

interface BaseOptions {
  hint?: string | undefined;
  params?: ReasonParams | undefined;
  cause?: unknown;
}

/** `data` is required exactly when the error's data type has no `undefined` in it. */
export type CairnErrorOptions<D> = BaseOptions & (undefined extends D ? { data?: D } : { data: D });

const MAX_MESSAGE = 4_000;
const MAX_HINT = 1_000;
const MAX_CODE = 64;

export class CairnError<D = undefined> extends Error {
  override readonly name = 'CairnError';
  readonly code: string;
  readonly hint: string | undefined;
  readonly params: Readonly<ReasonParams>;
  readonly data: D;

  constructor(code: string, message: string, ...[options]: undefined extends D ? [CairnErrorOptions<D>?] : [CairnErrorOptions<D>]) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options?.hint || undefined;
    this.params = { ...options?.params };
    this.data = options?.data as D;
  }

  /** Plain data for IPC, the engine channel, logs and `--json`: bounded to what the Reason schema admits. */
  toReason(): Reason {
    const r: Reason = { code: this.code.slice(0, MAX_CODE), message: this.message.slice(0, MAX_MESSAGE) };
    if (this.hint) r.hint = this.hint.slice(0, MAX_HINT);
    if (Object.keys(this.params).length) r.params = { ...this.params };
    return r;
  }

  /** The error a Reason stands for, on the side of a boundary that received it. */
  static fromReason(reason: Reason): CairnError {
    return new CairnError(reason.code, reason.message, { hint: reason.hint, params: reason.params });
  }
}

export function isCairnError(value: unknown): value is CairnError<unknown> {
  return value instanceof CairnError;
}

/** A Reason for anything thrown: a CairnError's own, else `internal` with the thrown text (never a stack). */
export function reasonOf(err: unknown, fallbackHint = 'This is a bug in Cairn. Your data is safe; try again, and report it if it repeats.'): Reason {
  if (isCairnError(err)) return err.toReason();
  const parsed = ReasonSchema.safeParse(err);
  if (parsed.success) return parsed.data;
  const text = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Unexpected error: ${text}`.slice(0, MAX_MESSAGE), hint: fallbackHint };
}
