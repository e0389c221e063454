import { describe, expect, it } from 'vitest';
import { FaultFlagError, parseFaultFlag } from '../../../electron/engine/simulator/fault-flags.ts';

describe('fault flags', () => {
  it('parses every fault kind with its count', () => {
    expect(parseFaultFlag('drop@5')).toEqual({ fault: { kind: 'drop', afterChunks: 5 }, times: 1 });
    expect(parseFaultFlag('no-done@3x2')).toEqual({ fault: { kind: 'no_done', afterChunks: 3 }, times: 2 });
    expect(parseFaultFlag('stall@0x*')).toEqual({ fault: { kind: 'stall', afterChunks: 0 }, times: null });
    expect(parseFaultFlag('malformed@2').fault).toEqual({ kind: 'malformed', afterChunks: 2 });
    expect(parseFaultFlag('429').fault).toEqual({ kind: 'rate_limit' });
    expect(parseFaultFlag('429:30').fault).toEqual({ kind: 'rate_limit', retryAfterSeconds: 30 });
    expect(parseFaultFlag('429:ms=1500x3')).toEqual({ fault: { kind: 'rate_limit', retryAfterMs: 1_500 }, times: 3 });
    expect(parseFaultFlag('429:date').fault).toMatchObject({ kind: 'rate_limit', retryAfterDate: expect.stringMatching(/GMT$/) });
    expect(parseFaultFlag('503').fault).toEqual({ kind: 'server_error', status: 503 });
    expect(parseFaultFlag('401').fault).toEqual({ kind: 'unauthorized' });
    expect(parseFaultFlag('403').fault).toEqual({ kind: 'forbidden' });
    expect(parseFaultFlag('404').fault).toEqual({ kind: 'model_not_found' });
    expect(parseFaultFlag('context').fault).toEqual({ kind: 'context_length' });
    expect(parseFaultFlag('no-usage').fault).toEqual({ kind: 'no_usage' });
    expect(parseFaultFlag('no-finish-reason').fault).toEqual({ kind: 'no_finish_reason' });
    expect(parseFaultFlag('reject-stream-options').fault).toEqual({ kind: 'reject_stream_options' });
  });

  it('rejects unknown faults with the list of valid ones', () => {
    expect(() => parseFaultFlag('explode')).toThrow(FaultFlagError);
    expect(() => parseFaultFlag('explode')).toThrow(/drop@5/);
    expect(() => parseFaultFlag('drop@x')).toThrow(FaultFlagError);
    expect(() => parseFaultFlag('500x0')).toThrow(/at least one/);
  });
});
