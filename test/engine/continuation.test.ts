import { describe, expect, it } from 'vitest';
import { MAX_OVERLAP_CHARS, OverlapStitcher, overlapLength, stitch } from '../../electron/engine/continuation.ts';
import { canonicalJson, memoKeyFor } from '../../electron/engine/memo-key.ts';

describe('stitching a continuation', () => {
  it('removes the words the model repeats, and nothing when it does not repeat', () => {
    expect(stitch('The tenant shall pay the rent ', 'shall pay the rent monthly in advance.')).toBe('The tenant shall pay the rent monthly in advance.');
    expect(stitch('The tenant shall pay ', 'monthly in advance.')).toBe('The tenant shall pay monthly in advance.');
    // A short coincidence ("the ") is not treated as repetition.
    expect(overlapLength('pay the ', 'the end')).toBe(0);
  });

  it('streams: holds back only while the start could still be a repetition', () => {
    const prefix = 'Findings:\n1. The text states that "rent is due" [p. 3]. ';
    const s = new OverlapStitcher(prefix);
    expect(s.push('"rent is')).toBe('');
    expect(s.push(' due" [p. 3]. ')).toBe('');
    expect(s.push('2. Next')).toBe('2. Next');
    expect(s.push(' finding')).toBe(' finding');
    expect(s.end()).toBe('');

    const fresh = new OverlapStitcher(prefix);
    expect(fresh.push('Zebra')).toBe('Zebra');
    const ending = new OverlapStitcher(prefix);
    expect(ending.push('[p. 3]. ')).toBe('');
    expect(ending.end()).toBe('');
    const long = new OverlapStitcher('x'.repeat(1_000));
    expect(long.push('x'.repeat(MAX_OVERLAP_CHARS + 5))).toBe('xxxxx');
  });
});

describe('memo key', () => {
  it('is canonical: property order does not matter, content does', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: undefined }] })).toBe('{"a":[true,null,{"d":"x"}],"b":1}');
    const base = { messages: [{ role: 'user', content: 'hi' }], task: 't', model: 'm', parameters: { temperature: 0, maxTokens: undefined } };
    const k = memoKeyFor(base);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(memoKeyFor({ parameters: { temperature: 0 }, model: 'm', task: 't', messages: [{ content: 'hi', role: 'user' }] })).toBe(k);
    expect(memoKeyFor({ ...base, model: 'n' })).not.toBe(k);
    expect(memoKeyFor({ ...base, parameters: { temperature: 0.2 } })).not.toBe(k);
    expect(memoKeyFor({ ...base, messages: [{ role: 'user', content: 'hi!' }] })).not.toBe(k);
  });
});
