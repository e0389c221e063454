// The stream log (the fast tier of streamed output): its file format survives
// torn and damaged tails, a killed writer loses nothing it acknowledged, a
// crashed writer's parts are absorbed exactly once (and a completed step's
// never come back), and the log follows its session through backups, purges,
// restores and a change of writer.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { decodeLog, encodeCommitMark, encodeRecord, LOG_MAGIC, type LogRecord } from '../../electron/store/stream-log.ts';
import { CHILDREN, cleanupTempDirs, config, NODE, tempDir, usage } from './helpers.ts';

afterEach(cleanupTempDirs);

const records: LogRecord[] = Array.from({ length: 6 }, (_, i) => ({
  lsn: i + 1, atMs: 1_700_000_000_000 + i, stepKey: i % 2 ? 'map:1' : 'reduce:0/ü', attempt: i % 3, seq: i, text: `part ${i} — ${'é'.repeat(i)}`,
}));
const encoded = records.map(encodeRecord);
const whole = Buffer.concat([LOG_MAGIC, ...encoded]);
const ends = encoded.reduce<number[]>((acc, b) => [...acc, (acc.at(-1) ?? LOG_MAGIC.length) + b.length], []);

function open(dataDir: string, opts: { moveBytes?: number; fsyncBytes?: number; fsyncMs?: number; now?: () => Date } = {}): CheckpointStore {
  const streamSync = { fsyncBytes: opts.fsyncBytes ?? 1_000_000, fsyncMs: opts.fsyncMs ?? 3_600_000, moveBytes: opts.moveBytes ?? 1_000_000 };
  return CheckpointStore.open({ dataDir, streamSync, ...(opts.now ? { now: opts.now } : {}) });
}
const logOf = (dataDir: string, sid: string): string => path.join(dataDir, 'streams', `${sid}.log`);
const rowsIn = (store: CheckpointStore, sid: string): number => store.database.prepare('SELECT count(*) FROM stream_parts WHERE session_id = ?').pluck().get(sid) as number;

describe('the stream log file', () => {
  it('reads back what was written', () => {
    expect(decodeLog(whole)).toEqual({ kind: 'log', records, commits: [], validBytes: whole.length, totalBytes: whole.length });
  });

  it('cut at any byte, returns exactly the whole records before the cut', () => {
    for (let cut = 0; cut <= whole.length; cut += 1) {
      const got = decodeLog(whole.subarray(0, cut));
      const complete = ends.filter((e) => e <= cut).length;
      expect(got.kind).toBe('log');
      if (got.kind === 'log') expect(got.records).toEqual(records.slice(0, complete));
    }
  });

  it('with a flipped byte, stops before the damaged record and never returns it garbled', () => {
    for (let at = LOG_MAGIC.length; at < whole.length; at += 1) {
      const damaged = Buffer.from(whole);
      damaged[at] = (damaged[at] as number) ^ 0x5a;
      const got = decodeLog(damaged);
      const hit = ends.findIndex((e) => at < e);
      expect(got.kind).toBe('log');
      if (got.kind === 'log') expect(got.records).toEqual(records.slice(0, hit));
    }
  });

  it('calls anything without its magic foreign', () => {
    expect(decodeLog(Buffer.from('{"parts":[]}')).kind).toBe('foreign');
    expect(decodeLog(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 1])).kind).toBe('foreign');
    expect(decodeLog(Buffer.from('CAIR'))).toMatchObject({ kind: 'log', records: [] });
  });
});

describe('streamed parts in the stream log', () => {
  it('a SIGKILLed writer loses no part whose call returned', async () => {
    const dataDir = tempDir('slog-kill');
    const seed = open(dataDir);
    const s = seed.createSession({ name: 'kill', config });
    seed.close();
    const child = spawn(NODE, [path.join(CHILDREN, 'stream-child.ts'), dataDir, s.id, '40'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('WAITING')) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited early: ${out}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const printed = out.split('\n').filter((l) => l.startsWith('P ')).map((l) => l.slice(2)).join('');
    const store = open(dataDir);
    expect(rowsIn(store, s.id)).toBe(0);
    expect(store.partial(s.id, 'map:7')).toMatchObject({ attempt: 2, parts: 40, text: printed });
    // The next writer absorbs the log and carries on after the last part.
    store.appendStreamPart(s.id, 'map:7', 2, 'next');
    expect(store.partial(s.id, 'map:7')).toMatchObject({ parts: 41, text: `${printed}next` });
    store.close();
  });

  it("a crashed writer's parts are absorbed once, and a completed step's parts never come back", () => {
    const dataDir = tempDir('slog-crash');
    const a = open(dataDir);
    const s = a.createSession({ name: 'crash', config });
    a.appendStreamPart(s.id, 'map:0', 0, 'S1 ');
    a.appendStreamPart(s.id, 'map:1', 0, 'T1 ');
    a.appendStreamPart(s.id, 'map:0', 0, 'S2');
    a.appendStreamPart(s.id, 'map:1', 0, 'T2 ');
    const cp = a.completeStep(s.id, { stepKey: 'map:0', attempt: 0, kind: 'map', memoKey: 'crash-s', usage: usage() });
    expect(a.getBlob(cp.outputHash as string)).toBe('S1 S2');
    // The other step's parts stay in the log: completing a step writes no one else's text.
    expect(rowsIn(a, s.id)).toBe(0);
    a.appendStreamPart(s.id, 'map:1', 0, 'T3');
    // `a` stops here as if the process had crashed: its log stays, not all of it in the database.
    const b = open(dataDir);
    expect(b.partial(s.id, 'map:0')).toBeNull();
    expect(b.partial(s.id, 'map:1')).toMatchObject({ text: 'T1 T2 T3', parts: 3 });
    b.appendStreamPart(s.id, 'map:1', 0, ' T4');
    expect(b.partial(s.id, 'map:1')).toMatchObject({ text: 'T1 T2 T3 T4', parts: 4 });
    expect(b.partial(s.id, 'map:0')).toBeNull();
    b.close();
    a.close(); // the old writer sees it was replaced and leaves the log alone
    const c = open(dataDir);
    expect(c.partial(s.id, 'map:1')).toMatchObject({ text: 'T1 T2 T3 T4', parts: 4 });
    expect(c.partial(s.id, 'map:0')).toBeNull();
    expect(fs.existsSync(logOf(dataDir, s.id))).toBe(false);
    expect(c.verify().ok).toBe(true);
    c.close();
  });

  it('keeps few marks: the log is rewritten with only what waits, and recovery after that is still exact', () => {
    const dataDir = tempDir('slog-compact');
    const a = open(dataDir);
    const s = a.createSession({ name: 'compact', config });
    a.appendStreamPart(s.id, 'map:long', 0, 'L1 ');
    const marks = (): number => a.database.prepare('SELECT count(*) FROM stream_log_marks').pluck().get() as number;
    let most = 0;
    for (let i = 0; i < 150; i += 1) {
      a.appendStreamPart(s.id, `map:${i}`, 0, `answer ${i}`);
      if (i === 100) a.appendStreamPart(s.id, 'map:long', 0, 'L2');
      a.completeStep(s.id, { stepKey: `map:${i}`, attempt: 0, kind: 'map', memoKey: `compact-${i}`, usage: usage() });
      most = Math.max(most, marks());
    }
    expect(most).toBeLessThanOrEqual(64);
    // What waits, plus one commit mark per step completed since the last rewrite (at most 64).
    const markBytes = encodeCommitMark({ checkpointId: s.id, stepKey: 'map:149', atMs: 0 }).length;
    expect(fs.statSync(logOf(dataDir, s.id)).size).toBeLessThan(2_000 + 64 * markBytes);
    // `a` stops here as if it had crashed.
    const b = open(dataDir);
    expect(b.partial(s.id, 'map:long')).toMatchObject({ text: 'L1 L2', parts: 2 });
    for (const i of [0, 63, 64, 100, 149]) expect(b.partial(s.id, `map:${i}`)).toBeNull();
    b.appendStreamPart(s.id, 'map:long', 0, ' L3');
    for (const i of [0, 64, 149]) expect(b.partial(s.id, `map:${i}`)).toBeNull();
    expect(b.partial(s.id, 'map:long')).toMatchObject({ text: 'L1 L2 L3', parts: 3 });
    b.close();
    a.close();
  });

  it('a log that comes back without its marks (a rename lost in a power cut) is not imported twice', async () => {
    const dataDir = tempDir('slog-nomarks');
    const a = open(dataDir);
    const s = a.createSession({ name: 'no marks', config });
    a.appendStreamPart(s.id, 'map:0', 0, 'P1 ');
    a.appendStreamPart(s.id, 'map:0', 0, 'P2');
    const oldLog = fs.readFileSync(logOf(dataDir, s.id));
    await a.createBackup(); // moves both parts into the database and marks them
    expect(rowsIn(a, s.id)).toBe(1);
    // `a` stops; the old log reappears and the marks are gone.
    a.database.prepare('DELETE FROM stream_log_marks').run();
    fs.writeFileSync(logOf(dataDir, s.id), oldLog);
    const b = open(dataDir);
    b.appendStreamPart(s.id, 'map:0', 0, ' P3');
    expect(b.partial(s.id, 'map:0')).toMatchObject({ text: 'P1 P2 P3', parts: 3 });
    b.close();
    a.close();
  });

  it('a writer that was replaced notices and continues after the other writer\'s parts', () => {
    const dataDir = tempDir('slog-takeover');
    const a = open(dataDir);
    const s = a.createSession({ name: 'takeover', config });
    a.appendStreamPart(s.id, 'map:0', 1, 'A1 ');
    const b = open(dataDir);
    b.appendStreamPart(s.id, 'map:0', 1, 'B1 ');
    a.appendStreamPart(s.id, 'map:0', 1, 'A2');
    expect(a.partial(s.id, 'map:0')).toMatchObject({ text: 'A1 B1 A2', parts: 3 });
    b.close();
    a.close();
    const c = open(dataDir);
    expect(c.partial(s.id, 'map:0')).toMatchObject({ text: 'A1 B1 A2', parts: 3 });
    c.close();
  });

  it('fsyncs the log by size and by age; moves parts into the database by size and when the lease is released', () => {
    const dataDir = tempDir('slog-move');
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = open(dataDir, { moveBytes: 200, fsyncBytes: 150, fsyncMs: 30_000, now: () => new Date(now) });
    const s = store.createSession({ name: 'move', config });
    const syncs = vi.spyOn(fs, 'fdatasyncSync');
    try {
      store.appendStreamPart(s.id, 'map:0', 0, 'x'.repeat(60)); // a record of 101 bytes
      expect(syncs).toHaveBeenCalledTimes(0);
      store.appendStreamPart(s.id, 'map:0', 0, 'y'.repeat(60)); // 202 unsynced bytes
      expect(syncs).toHaveBeenCalledTimes(1);
      store.appendStreamPart(s.id, 'map:0', 0, 'a');
      now += 29_000;
      store.appendStreamPart(s.id, 'map:0', 0, 'b');
      expect(syncs).toHaveBeenCalledTimes(1);
      now += 2_000; // the oldest unsynced part is 31 s old
      store.appendStreamPart(s.id, 'map:0', 0, 'c');
      expect(syncs).toHaveBeenCalledTimes(2);
      expect(rowsIn(store, s.id)).toBe(0);
      store.appendStreamPart(s.id, 'map:0', 0, 'z'.repeat(80)); // 203 bytes waiting: all of it moves
      expect(rowsIn(store, s.id)).toBe(1);
      store.appendStreamPart(s.id, 'map:0', 0, 'd');
      expect(rowsIn(store, s.id)).toBe(1);
    } finally {
      syncs.mockRestore();
    }
    expect(store.acquireLease(s.id, 'test-owner')).not.toBeNull();
    store.releaseLease(s.id, 'test-owner');
    expect(rowsIn(store, s.id)).toBe(2);
    expect(fs.existsSync(logOf(dataDir, s.id))).toBe(false);
    expect(store.database.prepare('SELECT count(*) FROM stream_log_marks').pluck().get()).toBe(0);
    expect(store.partial(s.id, 'map:0')).toMatchObject({ text: `${'x'.repeat(60)}${'y'.repeat(60)}abc${'z'.repeat(80)}d`, parts: 7 });
    store.close();
  });

  it('a backup holds the parts still in the log', async () => {
    const dataDir = tempDir('slog-backup');
    const store = open(dataDir);
    const s = store.createSession({ name: 'backup', config });
    store.appendStreamPart(s.id, 'map:0', 0, 'kept in the backup');
    const info = await store.createBackup();
    const copy = new Database(path.join(dataDir, 'backups', `${info.id}.db`), { readonly: true });
    expect(copy.prepare('SELECT group_concat(text, \'\') FROM stream_parts WHERE session_id = ?').pluck().get(s.id)).toBe('kept in the backup');
    copy.close();
    store.close();
  });

  it('a purged session takes its log with it; a restored database drops the logs of the one it replaced', async () => {
    const dataDir = tempDir('slog-purge');
    const store = open(dataDir);
    const gone = store.createSession({ name: 'gone', config });
    const kept = store.createSession({ name: 'kept', config });
    store.appendStreamPart(gone.id, 'map:0', 0, 'bye');
    store.deleteSession(gone.id);
    expect(store.emptyTrash()).toBe(1);
    expect(fs.existsSync(logOf(dataDir, gone.id))).toBe(false);

    const backup = await store.createBackup();
    store.appendStreamPart(kept.id, 'map:0', 0, 'after the backup');
    expect(fs.existsSync(logOf(dataDir, kept.id))).toBe(true);
    await store.restoreBackup(backup.id, 'replace');
    expect(fs.existsSync(logOf(dataDir, kept.id))).toBe(false);
    // kept aside beside the replaced database, never imported into the restored one
    expect(fs.readdirSync(path.join(dataDir, 'streams')).some((n) => n.startsWith(`${kept.id}.log.replaced-`))).toBe(true);
    expect(store.partial(kept.id, 'map:0')).toBeNull();
    store.appendStreamPart(kept.id, 'map:0', 0, 'fresh');
    expect(store.partial(kept.id, 'map:0')).toMatchObject({ text: 'fresh', parts: 1 });
    store.close();
  });

  it("a backup also holds a crashed writer's parts, absorbed from its log", async () => {
    const dataDir = tempDir('slog-orphan');
    const a = open(dataDir);
    const s = a.createSession({ name: 'orphan', config });
    a.appendStreamPart(s.id, 'map:0', 0, 'left behind');
    // `a` stops here as if it had crashed; another process takes a backup.
    const b = open(dataDir);
    const info = await b.createBackup();
    const copy = new Database(path.join(dataDir, 'backups', `${info.id}.db`), { readonly: true });
    expect(copy.prepare('SELECT group_concat(text, \'\') FROM stream_parts WHERE session_id = ?').pluck().get(s.id)).toBe('left behind');
    copy.close();
    expect(b.partial(s.id, 'map:0')).toMatchObject({ text: 'left behind', parts: 1 });
    b.close();
    a.close();
  });

  it('a log whose writer is alive and holds the lease is left to it by a backup elsewhere', async () => {
    const dataDir = tempDir('slog-live');
    const a = open(dataDir);
    const s = a.createSession({ name: 'live', config });
    expect(a.acquireLease(s.id, 'writer')).not.toBeNull();
    a.appendStreamPart(s.id, 'map:0', 0, 'A1 ');
    const b = open(dataDir);
    // The lease names this process, as a live writer elsewhere would be named: make it look foreign.
    b.database.prepare('UPDATE leases SET pid = ? WHERE session_id = ?').run(process.ppid, s.id);
    await b.createBackup();
    a.appendStreamPart(s.id, 'map:0', 0, 'A2');
    expect(a.partial(s.id, 'map:0')).toMatchObject({ text: 'A1 A2', parts: 2 });
    expect(rowsIn(a, s.id)).toBe(0);
    b.close();
    a.close();
  });

  it('a writer completing a step after another took the session over absorbs that log first: the step folds once', () => {
    const dataDir = tempDir('slog-conflict');
    const a = open(dataDir);
    const s = a.createSession({ name: 'conflict', config });
    a.appendStreamPart(s.id, 'map:0', 0, 'A1');
    const b = open(dataDir);
    b.appendStreamPart(s.id, 'map:1', 0, 'B1'); // b imports a's log (A1 becomes a row) and puts its own in place
    const cp = a.completeStep(s.id, { stepKey: 'map:0', attempt: 0, kind: 'map', memoKey: 'conflict', usage: usage() });
    expect(a.getBlob(cp.outputHash as string)).toBe('A1');
    expect(a.partial(s.id, 'map:0')).toBeNull();
    expect(a.partial(s.id, 'map:1')).toMatchObject({ text: 'B1', parts: 1 });
    b.close();
    a.close();
  });

  it('syncs a paused stream within fsyncMs, without another append', async () => {
    const dataDir = tempDir('slog-timer');
    const store = open(dataDir, { fsyncBytes: 1_000_000, fsyncMs: 40 });
    const s = store.createSession({ name: 'timer', config });
    const syncs = vi.spyOn(fs, 'fdatasyncSync');
    try {
      store.appendStreamPart(s.id, 'map:0', 0, 'then a pause');
      expect(syncs).toHaveBeenCalledTimes(0);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(syncs).toHaveBeenCalledTimes(1);
    } finally {
      syncs.mockRestore();
    }
    store.close();
  });

  it('a compaction that fails leaves the step saved and the log usable; a later one succeeds', () => {
    const dataDir = tempDir('slog-compact-fail');
    const store = open(dataDir);
    const s = store.createSession({ name: 'compact fail', config });
    store.appendStreamPart(s.id, 'map:long', 0, 'L1');
    const renames = vi.spyOn(fs, 'renameSync');
    let refused = 0;
    renames.mockImplementation(() => {
      refused += 1;
      throw Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });
    });
    try {
      for (let i = 0; i < 70; i += 1) {
        store.appendStreamPart(s.id, `map:${i}`, 0, `answer ${i}`);
        const cp = store.completeStep(s.id, { stepKey: `map:${i}`, attempt: 0, kind: 'map', memoKey: `cf-${i}`, usage: usage() });
        expect(store.getBlob(cp.outputHash as string)).toBe(`answer ${i}`);
      }
    } finally {
      renames.mockRestore();
    }
    expect(refused).toBeGreaterThan(0);
    const marks = (): number => store.database.prepare('SELECT count(*) FROM stream_log_marks').pluck().get() as number;
    expect(marks()).toBeGreaterThanOrEqual(64);
    store.appendStreamPart(s.id, 'map:long', 0, ' L2');
    store.appendStreamPart(s.id, 'map:70', 0, 'answer 70');
    store.completeStep(s.id, { stepKey: 'map:70', attempt: 0, kind: 'map', memoKey: 'cf-70', usage: usage() });
    expect(marks()).toBeLessThan(64);
    expect(store.partial(s.id, 'map:long')).toMatchObject({ text: 'L1 L2', parts: 2 });
    const other = open(dataDir);
    expect(other.partial(s.id, 'map:long')).toMatchObject({ text: 'L1 L2', parts: 2 });
    expect(other.partial(s.id, 'map:3')).toBeNull();
    other.close();
    store.close();
  });

  it('a backup skips a left-behind log it cannot read, and still succeeds', async () => {
    const dataDir = tempDir('slog-unreadable');
    const store = open(dataDir);
    const s = store.createSession({ name: 'unreadable', config });
    fs.mkdirSync(logOf(dataDir, s.id), { recursive: true }); // reading it fails (EISDIR)
    const info = await store.createBackup();
    expect(info.verified).toBe('ok');
    store.close();
  });

  it('a restore is refused while a session is being run, and the run keeps its log', async () => {
    const dataDir = tempDir('slog-restore-running');
    const store = open(dataDir);
    const s = store.createSession({ name: 'running', config });
    const backup = await store.createBackup();
    expect(store.acquireLease(s.id, 'runner')).not.toBeNull();
    store.appendStreamPart(s.id, 'map:0', 0, 'still streaming');
    await expect(store.restoreBackup(backup.id, 'replace')).rejects.toMatchObject({ code: 'conflict' });
    expect(store.partial(s.id, 'map:0')).toMatchObject({ text: 'still streaming' });
    store.releaseLease(s.id, 'runner');
    await store.restoreBackup(backup.id, 'replace');
    store.close();
  });

  it('logs set aside by a restore come back at open when the database swap never happened, and stay aside when it did', () => {
    const dataDir = tempDir('slog-aside');
    const a = open(dataDir);
    const s1 = a.createSession({ name: 'one', config });
    const s2 = a.createSession({ name: 'two', config });
    a.appendStreamPart(s1.id, 'map:0', 0, 'of the live database');
    a.appendStreamPart(s2.id, 'map:0', 0, 'of the replaced database');
    // As if a restore had crashed: s1's log set aside before a swap that never happened,
    // s2's before one that did (the database it belonged to is set aside under the same stamp).
    const dir = path.join(dataDir, 'streams');
    fs.renameSync(logOf(dataDir, s1.id), path.join(dir, `${s1.id}.log.replaced-2026-01-01T00-00-00-000Z`));
    fs.renameSync(logOf(dataDir, s2.id), path.join(dir, `${s2.id}.log.replaced-2026-01-02T00-00-00-000Z`));
    fs.writeFileSync(path.join(dataDir, 'cairn.db.replaced-2026-01-02T00-00-00-000Z'), 'the replaced database');
    const b = open(dataDir);
    expect(b.partial(s1.id, 'map:0')).toMatchObject({ text: 'of the live database' });
    expect(b.partial(s2.id, 'map:0')).toBeNull();
    expect(fs.existsSync(path.join(dir, `${s2.id}.log.replaced-2026-01-02T00-00-00-000Z`))).toBe(true);
    b.close();
    a.close();
  });

  it('a stream log with a valid header and damaged records is kept aside byte for byte; its whole records are imported', () => {
    const dataDir = tempDir('slog-damaged');
    const store = open(dataDir);
    const s = store.createSession({ name: 'damaged log', config });
    fs.mkdirSync(path.join(dataDir, 'streams'));
    const good = encodeRecord({ lsn: 1, atMs: 1_700_000_000_000, stepKey: 'map:0', attempt: 0, seq: 0, text: 'kept ' });
    const damaged = Buffer.concat([LOG_MAGIC, good, Buffer.from('garbage that is no record at all, '.repeat(4))]);
    fs.writeFileSync(logOf(dataDir, s.id), damaged);
    store.appendStreamPart(s.id, 'map:0', 0, 'and new');
    expect(store.partial(s.id, 'map:0')).toMatchObject({ text: 'kept and new', parts: 2 });
    const aside = fs.readdirSync(path.join(dataDir, 'streams')).filter((f) => f.startsWith(`${s.id}.log.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, 'streams', aside[0] as string)).equals(damaged)).toBe(true);
    store.close();
  });

  it('a file in its place that is not a stream log is moved aside, never overwritten', () => {
    const dataDir = tempDir('slog-foreign');
    const store = open(dataDir);
    const s = store.createSession({ name: 'foreign', config });
    fs.mkdirSync(path.join(dataDir, 'streams'));
    fs.writeFileSync(logOf(dataDir, s.id), '{"not":"a stream log"}');
    store.appendStreamPart(s.id, 'map:0', 0, 'fine');
    expect(store.partial(s.id, 'map:0')).toMatchObject({ text: 'fine', parts: 1 });
    const aside = fs.readdirSync(path.join(dataDir, 'streams')).filter((f) => f.startsWith(`${s.id}.log.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, 'streams', aside[0] as string), 'utf8')).toBe('{"not":"a stream log"}');
    store.close();
  });
});
