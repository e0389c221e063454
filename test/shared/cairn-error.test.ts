import { describe, expect, it } from 'vitest';
import { CairnError, isCairnError, reasonOf } from '../../shared/cairn-error.ts';

describe('CairnError', () => {
  it('carries code, params, hint and layer data, and crosses as a Reason without the data', () => {
    const err = new CairnError<{ retryAfterMs: number }>('rate_limit:429', 'Slow down.', {
      hint: 'Wait a minute.', params: { provider: 'Simulator', seconds: 30 }, data: { retryAfterMs: 30_000 },
    });
    expect(err).toBeInstanceOf(Error);
    expect(isCairnError(err)).toBe(true);
    expect(err.data.retryAfterMs).toBe(30_000);
    expect(err.toReason()).toEqual({ code: 'rate_limit:429', message: 'Slow down.', hint: 'Wait a minute.', params: { provider: 'Simulator', seconds: 30 } });
  });

  it('leaves out an empty hint and empty params, and bounds what it sends', () => {
    const err = new CairnError('x'.repeat(100), 'm'.repeat(5_000), { hint: '' });
    const r = err.toReason();
    expect(r).not.toHaveProperty('hint');
    expect(r).not.toHaveProperty('params');
    expect(r.code).toHaveLength(64);
    expect(r.message).toHaveLength(4_000);
  });

  it('is rebuilt from a Reason on the other side of a boundary', () => {
    const back = CairnError.fromReason({ code: 'busy', message: 'Locked.', hint: 'Retry.', params: { dir: '/d' } });
    expect(back.code).toBe('busy');
    expect(back.toReason()).toEqual({ code: 'busy', message: 'Locked.', hint: 'Retry.', params: { dir: '/d' } });
  });

  it('keeps the cause for logs', () => {
    const cause = new Error('SQLITE_FULL');
    expect(new CairnError('disk_full', 'Full.', { cause }).cause).toBe(cause);
  });

  it('turns anything thrown into a Reason: its own, a plain Reason value, else internal without a stack', () => {
    expect(reasonOf(new CairnError('busy', 'Locked.')).code).toBe('busy');
    expect(reasonOf({ code: 'not_found', message: 'Gone.' })).toEqual({ code: 'not_found', message: 'Gone.' });
    const r = reasonOf(new TypeError('x is undefined'));
    expect(r.code).toBe('internal');
    expect(r.message).toBe('Unexpected error: x is undefined');
    expect(r.message).not.toContain('at ');
  });
});
