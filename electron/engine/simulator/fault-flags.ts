// Faults written as short command-line flags (`cairn simulator --fault 429:5`),
// so the CLI and scripts can schedule them without JSON.
//   drop@N  stall@N  no-done@N  malformed@N   (after N content chunks)
//   429  429:SECONDS  429:ms=MILLIS  429:date   500  503  401  403  404  context  no-usage  no-finish-reason  reject-stream-options
// A suffix `xK` applies it to the next K requests; `x*` to every request.
import type { Fault, FaultRule } from './faults.ts';

const USAGE = 'Use e.g. drop@5, stall@10, no-done@3, malformed@2, 429, 429:30, 429:ms=1500, 429:date, 500, 503, 401, 403, 404, context, no-usage, no-finish-reason, reject-stream-options, with an optional x3 or x* suffix.';

export class FaultFlagError extends Error {
  override readonly name = 'FaultFlagError';
}

function parseFault(body: string): Fault {
  const at = /^(drop|stall|no-done|malformed)@(\d{1,6})$/.exec(body);
  if (at) {
    const afterChunks = Number(at[2]);
    const kind = at[1] === 'no-done' ? 'no_done' : (at[1] as 'drop' | 'stall' | 'malformed');
    return { kind, afterChunks };
  }
  const rl = /^429(?::(?:(\d{1,9})|ms=(\d{1,12})|(date)))?$/.exec(body);
  if (rl) {
    if (rl[1] !== undefined) return { kind: 'rate_limit', retryAfterSeconds: Number(rl[1]) };
    if (rl[2] !== undefined) return { kind: 'rate_limit', retryAfterMs: Number(rl[2]) };
    if (rl[3] !== undefined) return { kind: 'rate_limit', retryAfterDate: new Date(Date.now() + 5_000).toUTCString() };
    return { kind: 'rate_limit' };
  }
  if (/^5\d\d$/.test(body)) return { kind: 'server_error', status: Number(body) };
  const simple: Record<string, Fault> = {
    '401': { kind: 'unauthorized' },
    '403': { kind: 'forbidden' },
    '404': { kind: 'model_not_found' },
    context: { kind: 'context_length' },
    'no-usage': { kind: 'no_usage' },
    'no-finish-reason': { kind: 'no_finish_reason' },
    'reject-stream-options': { kind: 'reject_stream_options' },
  };
  const hit = simple[body];
  if (hit) return hit;
  throw new FaultFlagError(`Unknown fault "${body}". ${USAGE}`);
}

export function parseFaultFlag(flag: string): FaultRule {
  const m = /^(.+?)(?:x(\d{1,6}|\*))?$/.exec(flag.trim());
  if (!m || !m[1]) throw new FaultFlagError(`Empty fault. ${USAGE}`);
  const times = m[2] === undefined ? 1 : m[2] === '*' ? null : Number(m[2]);
  if (times === 0) throw new FaultFlagError(`A fault must apply to at least one request ("${flag}").`);
  return { fault: parseFault(m[1]), times };
}
