// The power-cut model's own checks: what it reads from strace's output and the states it builds from it.
import { describe, expect, it } from 'vitest';
import { crashState, newTrace, parseTrace, type Op } from '../fixtures/power-cut.ts';

const hex = (s: string): string => [...Buffer.from(s)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
const DATA = '/nonexistent/cairn-model/data';
const wal = `${DATA}/cairn.db-wal`;

describe('the power-cut model reads strace', () => {
  it('keeps the offset of a pwrite64 that strace split across threads', () => {
    const trace = newTrace(DATA);
    parseTrace([
      `100 openat(AT_FDCWD<${hex(DATA)}>, "${hex(wal)}", O_RDWR|O_CREAT|O_CLOEXEC, 0644) = 3<${hex(wal)}>`,
      `100 pwrite64(3<${hex(wal)}>, "${hex('header')}", 6, 0) = 6`,
      `100 fdatasync(3<${hex(wal)}>) = 0`,
      // How strace -f prints a call another thread interrupted: a space before `<unfinished ...>`.
      `100 pwrite64(3<${hex(wal)}>, "${hex('frame')}", 5, 168952 <unfinished ...>`,
      `101 write(1<pipe:[1]>, "${hex('{"type":"tick"}\n')}", 16) = 16`,
      `100 <... pwrite64 resumed>) = 5`,
    ].join('\n'), DATA, trace);
    const writes = trace.ops.filter((o): o is Extract<Op, { kind: 'write' }> => o.kind === 'write');
    expect(writes.map((w) => [w.offset, w.data.toString()])).toEqual([[0, 'header'], [168952, 'frame']]);
    // The synced header survives every variant: the split write lands after it, never on it.
    for (const variant of ['dropped', 'kept', 'torn', 'reordered'] as const) {
      const state = crashState(trace, trace.ops.length, variant, () => 0.9);
      expect(state.get('cairn.db-wal')?.subarray(0, 6).toString(), variant).toBe('header');
    }
  });
});
