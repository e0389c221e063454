// Every failure of a model call becomes an EngineError with a category that
// decides what happens next (stop, retry, shrink, pause) and a message a
// person can act on. Nothing is swallowed: unknown failures are 'internal'
// and fail the step with their original message.
import {
  APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError,
} from 'openai';
import type { Reason } from '../../shared/domain.ts';
import { parseRateLimitHeaders, type RateLimitHeaders } from './provider/rate-limit-headers.ts';

export type ErrorCategory =
  | 'auth' // 401/403, missing key, no credit: stop, the user must fix configuration
  | 'model_not_found' // 404: stop, list what the provider has
  | 'context_length' // 400: input too long; shrink and retry once
  | 'invalid_request' // other 4xx: the request itself is wrong; retrying will not help
  | 'rate_limit' // 429: wait (Retry-After or backoff), slow the whole session
  | 'transient' // 5xx, reset, stall, terminated, no terminal event, malformed: retry
  | 'disk' // the store cannot write: pause the session
  | 'budget' // the next call would exceed the session budget: pause
  | 'cancelled' // the user (or a signal) stopped it: partial kept, resumable
  | 'internal'; // a bug or something unforeseen: fail the step, keep the message

export interface ErrorContext {
  /** Provider profile name, e.g. "DeepSeek". */
  provider: string;
  /** Where the key came from, e.g. "environment variable DEEPSEEK_API_KEY". Never the key. */
  keySource: string;
  model: string;
  /** The key, only so it can be scrubbed from provider messages. */
  secret?: string | null;
  /** The endpoint, to say where a connection could not be made. */
  baseUrl?: string;
}

export interface EngineErrorInit {
  category: ErrorCategory;
  code: string;
  message: string;
  hint?: string;
  status?: number | null;
  retryAfterMs?: number | null;
  /** The provider's limits as its 429 stated them. */
  rateLimits?: RateLimitHeaders | null;
  /** Models the provider offers, for model_not_found. */
  availableModels?: string[];
  /** The provider's own wording, scrubbed of secrets. */
  detail?: string | null;
  cause?: unknown;
}

const RETRYABLE: ReadonlySet<ErrorCategory> = new Set(['rate_limit', 'transient']);

export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly category: ErrorCategory;
  readonly code: string;
  readonly hint: string | undefined;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  readonly rateLimits: RateLimitHeaders | null;
  availableModels: string[];
  readonly detail: string | null;

  constructor(init: EngineErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.category = init.category;
    this.code = init.code;
    this.hint = init.hint;
    this.status = init.status ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.rateLimits = init.rateLimits ?? null;
    this.availableModels = init.availableModels ?? [];
    this.detail = init.detail ?? null;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.category);
  }

  toReason(): Reason {
    const r: Reason = { code: `${this.category}:${this.code}`.slice(0, 64), message: this.message.slice(0, 4_000) };
    if (this.hint) r.hint = this.hint.slice(0, 1_000);
    return r;
  }
}

export function isEngineError(err: unknown): err is EngineError {
  return err instanceof EngineError;
}

/** Removes the key and anything shaped like an API key from text that may be shown or stored. */
export function redactSecrets(text: string, secret?: string | null): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.replace(/\b(sk|rk|pk|key)-[A-Za-z0-9_*.-]{6,}/g, '[redacted]').replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
}

// Stream-level interruptions the step runner detects itself.
export function stallError(ctx: ErrorContext, stallMs: number): EngineError {
  return new EngineError({
    category: 'transient', code: 'stall',
    message: `${ctx.provider} stopped sending for ${Math.round(stallMs / 1000)} s in the middle of an answer; retrying (the partial answer is kept).`,
  });
}

export function noTerminalEventError(ctx: ErrorContext): EngineError {
  return new EngineError({
    category: 'transient', code: 'no_terminal_event',
    message: `The answer from ${ctx.provider} ended without a finish signal, so it may be incomplete; retrying (the partial answer is kept).`,
  });
}

export function cancelledError(): EngineError {
  return new EngineError({
    category: 'cancelled', code: 'cancelled',
    message: 'Stopped on request. The partial answer is saved and the session can be resumed.',
  });
}

export function budgetError(limitUsd: number, spentUsd: number, estimateUsd: number): EngineError {
  return new EngineError({
    category: 'budget', code: 'budget_exceeded',
    message: `The next call (about $${estimateUsd.toFixed(4)}) would take the session past its budget of $${limitUsd.toFixed(2)} ($${spentUsd.toFixed(4)} spent).`,
    hint: 'Raise the session budget and resume, or resume with a cheaper model.',
  });
}

const DISK_CODES: Record<string, string> = {
  disk_full: 'The disk is full', SQLITE_FULL: 'The disk is full', ENOSPC: 'The disk is full',
  io_error: 'The disk reported an I/O error', SQLITE_IOERR: 'The disk reported an I/O error', EIO: 'The disk reported an I/O error',
  read_only: 'The data directory is read-only', SQLITE_READONLY: 'The data directory is read-only', EROFS: 'The data directory is read-only',
  permission_denied: 'Cairn may not write to the data directory', EACCES: 'Cairn may not write to the data directory', EPERM: 'Cairn may not write to the data directory',
};

const NETWORK_CODES = new Set([
  'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

function errCode(err: unknown): string | null {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return null;
}

/** Walks `cause` links (undici nests the socket error two deep). */
function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  for (let i = 0; i < 6 && cur !== undefined && cur !== null; i += 1) {
    out.push(cur);
    cur = typeof cur === 'object' && 'cause' in cur ? cur.cause : undefined;
  }
  return out;
}

function diskError(err: unknown): EngineError | null {
  for (const c of causes(err)) {
    const code = errCode(c);
    if (!code) continue;
    const base = code.startsWith('SQLITE_IOERR') ? 'SQLITE_IOERR' : code;
    const what = DISK_CODES[base];
    if (what) {
      const msg = c instanceof Error ? c.message : String(c);
      return new EngineError({
        category: 'disk', code: base,
        message: `${what}, so Cairn paused the session to lose nothing (${msg}).`,
        hint: 'Free space or fix the data directory, then resume the session.',
        cause: err,
      });
    }
  }
  return null;
}

/** Where a refused or unresolved connection was going, from the socket error undici nests in the cause. */
function target(err: unknown, ctx: ErrorContext): string {
  for (const c of causes(err)) {
    if (typeof c !== 'object' || c === null) continue;
    const { address, port, hostname } = c as { address?: unknown; port?: unknown; hostname?: unknown };
    if (typeof address === 'string' && typeof port === 'number') return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    if (typeof hostname === 'string') return hostname;
  }
  if (ctx.baseUrl) {
    try {
      return new URL(ctx.baseUrl).host;
    } catch {
      // not a URL: fall back to the profile's name
    }
  }
  return ctx.provider;
}

/** fetch refuses some ports outright (9, 25, 6000…: the "bad ports" of the Fetch standard). */
function blockedPort(err: unknown): boolean {
  return causes(err).some((c) => c instanceof Error && c.message === 'bad port');
}

function networkCode(err: unknown): string | null {
  for (const c of causes(err)) {
    const code = errCode(c);
    if (code && NETWORK_CODES.has(code)) return code;
    if (c instanceof Error && c.message === 'terminated') return 'terminated';
  }
  return null;
}

/** Parses `retry-after-ms`, then `Retry-After` as seconds or an HTTP date. */
export function parseRetryAfter(headers: Headers | null | undefined, nowMs: number): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.max(0, Number.parseFloat(ms));
  const ra = headers.get('retry-after');
  if (ra === null) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Math.max(0, Number.parseFloat(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

// The SDK error is not kept as `cause`: providers echo keys in their messages
// and a logged cause would print them. `detail` keeps the scrubbed wording.
function apiError(err: APIError, ctx: ErrorContext, nowMs: number): EngineError {
  const status = err.status ?? null;
  const detail = redactSecrets(err.message, ctx.secret);
  const code = typeof err.code === 'string' ? err.code : '';
  if (status === 401) {
    return new EngineError({
      category: 'auth', code: 'unauthorized', status, detail,
      message: `The API key from ${ctx.keySource} was rejected by ${ctx.provider} (401).`,
      hint: `Replace the key in ${ctx.keySource} (or in Settings → Providers) and resume.`,
    });
  }
  if (status === 403) {
    return new EngineError({
      category: 'auth', code: 'forbidden', status, detail,
      message: `${ctx.provider} refused access to ${ctx.model} with the key from ${ctx.keySource} (403).`,
      hint: 'Check that this key may use this model (project, organisation, region), or use another key or model.',
    });
  }
  if (status === 404) {
    const aboutModel = code === 'model_not_found'
      || (/model/i.test(err.message) && /not (exist|found|available)|does not exist|unknown model|no such model|invalid model/i.test(err.message));
    return new EngineError({
      category: aboutModel ? 'model_not_found' : 'invalid_request', code: aboutModel ? 'model_not_found' : 'not_found', status, detail,
      message: aboutModel
        ? `The model "${ctx.model}" is not available at ${ctx.provider} (404).`
        : `${ctx.provider} answered 404 Not Found: the base URL may be wrong (many servers expect it to end in /v1).`,
      hint: aboutModel ? 'Choose one of the models the provider lists.' : 'Check the base URL in the provider profile.',
    });
  }
  if (status === 400 && (code === 'context_length_exceeded' || /context length|context window|maximum context|too many tokens|reduce the length/i.test(err.message))) {
    return new EngineError({
      category: 'context_length', code: 'context_length_exceeded', status, detail,
      message: `The input is too long for ${ctx.model} at ${ctx.provider} (400 context length exceeded).`,
      hint: 'Use smaller chunks or a model with a larger context window.',
    });
  }
  if (status === 429) {
    if (code === 'insufficient_quota') {
      return new EngineError({
        category: 'auth', code: 'insufficient_quota', status, detail,
        message: `${ctx.provider} says the account behind ${ctx.keySource} has no credit left (429 insufficient_quota).`,
        hint: 'Add credit with the provider or use another key, then resume.',
      });
    }
    const retryAfterMs = parseRetryAfter(err.headers, nowMs);
    return new EngineError({
      category: 'rate_limit', code: 'rate_limited', status, detail, retryAfterMs, rateLimits: parseRateLimitHeaders(err.headers),
      message: `${ctx.provider} is rate limiting requests (429)${retryAfterMs === null ? '' : `; it asked to wait ${Math.ceil(retryAfterMs / 1000)} s`}.`,
    });
  }
  if (status !== null && (status >= 500 || status === 408 || status === 409)) {
    return new EngineError({
      category: 'transient', code: `http_${status}`, status, detail,
      message: `${ctx.provider} had a server error (${status}); retrying.`,
    });
  }
  if (status === null) {
    // An error event inside the stream.
    return new EngineError({
      category: 'transient', code: 'stream_error', detail,
      message: `${ctx.provider} reported an error in the middle of the answer (${detail}); retrying.`,
    });
  }
  return new EngineError({
    category: 'invalid_request', code: `http_${status}`, status, detail,
    message: `${ctx.provider} rejected the request (${status}): ${detail}`,
  });
}

/**
 * Classifies any failure of a model call. `stalled` is set by the caller when
 * its own stall timer aborted the request, which the SDK reports as an abort.
 */
export function classifyError(err: unknown, ctx: ErrorContext, opts: { nowMs?: number; stalled?: boolean; stallMs?: number } = {}): EngineError {
  if (err instanceof EngineError) return err;
  if (opts.stalled) return stallError(ctx, opts.stallMs ?? 0);
  // Provider error codes ('permission_denied'…) share names with store codes: only non-HTTP errors can be disk errors.
  const disk = err instanceof APIError ? null : diskError(err);
  if (disk) return disk;
  if (err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) return cancelledError();
  if (err instanceof APIConnectionTimeoutError) {
    return new EngineError({ category: 'transient', code: 'timeout', cause: err, message: `${ctx.provider} did not answer in time; retrying.` });
  }
  if (err instanceof APIConnectionError && blockedPort(err)) {
    const where = target(err, ctx);
    const port = /:(\d+)$/.exec(where)?.[1] ?? '';
    return new EngineError({
      category: 'invalid_request', code: 'blocked_port', cause: err,
      message: `Cairn cannot connect to ${where}: port ${port} is one that HTTP clients refuse to use, so no server can be reached there.`,
      hint: 'Use the port your server listens on (Ollama 11434, LM Studio 1234, vLLM 8000).',
    });
  }
  const net = networkCode(err);
  if (err instanceof APIConnectionError || net) {
    const code = net ?? 'connection';
    // Nothing was sent: a server that is not running (or a wrong address) is tried again briefly, then the run pauses.
    if (code === 'ECONNREFUSED') {
      return new EngineError({
        category: 'transient', code: 'unreachable', cause: err,
        message: `Nothing is listening at ${target(err, ctx)} — is the server (Ollama, LM Studio, vLLM) running?`,
        hint: 'Start the server, or check the port in the base URL, then resume the session.',
      });
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new EngineError({
        category: 'transient', code: 'unreachable', cause: err,
        message: `The host ${target(err, ctx)} cannot be found (${code}) — check the base URL and your connection.`,
        hint: 'Check the host name in the base URL and your network, then resume the session.',
      });
    }
    return new EngineError({
      category: 'transient', code: code === 'terminated' ? 'terminated' : code, cause: err,
      message: `The connection to ${ctx.provider} was cut (${code}); retrying (the partial answer is kept).`,
    });
  }
  if (err instanceof APIError) return apiError(err, ctx, opts.nowMs ?? Date.now());
  if (err instanceof SyntaxError) {
    return new EngineError({
      category: 'transient', code: 'malformed_chunk', cause: err,
      message: `${ctx.provider} sent a malformed piece of the answer; retrying (the partial answer is kept).`,
    });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new EngineError({ category: 'internal', code: 'internal', cause: err, message: `Unexpected failure while calling ${ctx.provider}: ${redactSecrets(msg, ctx.secret)}` });
}
