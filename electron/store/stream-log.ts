// The stream log: where a step's streamed parts wait until the step completes
// or the run ends (stream.ts). Every ~250 ms the step runner's part is
// appended here with one write(), so a crashed or killed process loses nothing
// the call acknowledged (the kernel holds the page), and a slow stream fills
// the same page instead of forcing a fresh fsync'd SQLite page per part.
//
// One file per session (the session's lease makes its process the only
// writer): an 8-byte magic, then records
//   u32 payload length | u32 crc32(payload) | payload
//   payload = f64 lsn | f64 time (ms) | u32 attempt | u32 seq | u16 key bytes | key | text
// A record is one write() call; reading stops at the first record that is
// short or fails its CRC (a torn tail after a power cut), never returning
// garbage. `lsn` numbers the session's records; the database marks, per step,
// the last one it has absorbed, so recovery imports exactly the rest.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fsyncDir } from './fs-safe.ts';

export const LOG_MAGIC = Buffer.from('CAIRNSL\x01', 'latin1');
const RECORD_HEADER = 8;
const FIXED_PAYLOAD = 8 + 8 + 4 + 4 + 2;
/** Records hold parts below the sync threshold; anything claiming more is damage. */
const MAX_PAYLOAD = 64 * 1024 * 1024;

export interface LogRecord {
  lsn: number;
  atMs: number;
  stepKey: string;
  attempt: number;
  seq: number;
  text: string;
}

export function encodeRecord(r: LogRecord): Buffer {
  const key = Buffer.from(r.stepKey, 'utf8');
  const text = Buffer.from(r.text, 'utf8');
  const payloadLength = FIXED_PAYLOAD + key.length + text.length;
  const buf = Buffer.allocUnsafe(RECORD_HEADER + payloadLength);
  buf.writeUInt32LE(payloadLength, 0);
  let at = RECORD_HEADER;
  at = buf.writeDoubleLE(r.lsn, at);
  at = buf.writeDoubleLE(r.atMs, at);
  at = buf.writeUInt32LE(r.attempt, at);
  at = buf.writeUInt32LE(r.seq, at);
  at = buf.writeUInt16LE(key.length, at);
  at += key.copy(buf, at);
  text.copy(buf, at);
  buf.writeUInt32LE(zlib.crc32(buf.subarray(RECORD_HEADER)), 4);
  return buf;
}

/**
 * A commit mark: written after a completed step's checkpoint commit returned, so evidence of the commit
 * outlives a damaged or lost WAL (SQLite drops a bad WAL tail without a word). Framed like a part, under a
 * step key no step can have (step keys are text a person could read; this one starts with NUL).
 */
export interface CommitMark {
  checkpointId: string;
  stepKey: string;
  atMs: number;
}

const COMMIT_KEY = '\u0000commit';

export function encodeCommitMark(m: CommitMark): Buffer {
  return encodeRecord({ lsn: 0, atMs: m.atMs, stepKey: COMMIT_KEY, attempt: 0, seq: 0, text: JSON.stringify({ checkpointId: m.checkpointId, stepKey: m.stepKey }) });
}

function toCommitMark(r: LogRecord): CommitMark | null {
  try {
    const v: unknown = JSON.parse(r.text);
    if (typeof v !== 'object' || v === null || !('checkpointId' in v) || !('stepKey' in v)) return null;
    if (typeof v.checkpointId !== 'string' || typeof v.stepKey !== 'string') return null;
    return { checkpointId: v.checkpointId, stepKey: v.stepKey, atMs: r.atMs };
  } catch {
    return null;
  }
}

export type LogContents =
  | { kind: 'missing' }
  | { kind: 'foreign' }
  /** `records` are the streamed parts; `commits` the commit marks, in the order written. */
  | { kind: 'log'; records: LogRecord[]; commits: CommitMark[]; validBytes: number; totalBytes: number };

/** Parses a whole log file's bytes; stops at the first torn or damaged record. */
export function decodeLog(bytes: Buffer): LogContents {
  if (bytes.length < LOG_MAGIC.length) {
    // A file cut short while being created holds a prefix of the magic (or nothing).
    return LOG_MAGIC.subarray(0, bytes.length).equals(bytes) ? { kind: 'log', records: [], commits: [], validBytes: 0, totalBytes: bytes.length } : { kind: 'foreign' };
  }
  if (!bytes.subarray(0, LOG_MAGIC.length).equals(LOG_MAGIC)) return { kind: 'foreign' };
  const records: LogRecord[] = [];
  const commits: CommitMark[] = [];
  let at = LOG_MAGIC.length;
  while (at + RECORD_HEADER <= bytes.length) {
    const payloadLength = bytes.readUInt32LE(at);
    if (payloadLength < FIXED_PAYLOAD || payloadLength > MAX_PAYLOAD || at + RECORD_HEADER + payloadLength > bytes.length) break;
    const payload = bytes.subarray(at + RECORD_HEADER, at + RECORD_HEADER + payloadLength);
    if (zlib.crc32(payload) !== bytes.readUInt32LE(at + 4)) break;
    const keyLength = payload.readUInt16LE(24);
    if (FIXED_PAYLOAD + keyLength > payloadLength) break;
    const record: LogRecord = {
      lsn: payload.readDoubleLE(0),
      atMs: payload.readDoubleLE(8),
      attempt: payload.readUInt32LE(16),
      seq: payload.readUInt32LE(20),
      stepKey: payload.toString('utf8', FIXED_PAYLOAD, FIXED_PAYLOAD + keyLength),
      text: payload.toString('utf8', FIXED_PAYLOAD + keyLength),
    };
    if (record.stepKey !== COMMIT_KEY) records.push(record);
    else {
      const mark = toCommitMark(record);
      if (mark) commits.push(mark);
    }
    at += RECORD_HEADER + payloadLength;
  }
  return { kind: 'log', records, commits, validBytes: at, totalBytes: bytes.length };
}

/** Opens a log and reads it through the descriptor, which the caller closes (null when there is no log). */
export function openLog(file: string): { fd: number; contents: LogContents } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
  try {
    return { fd, contents: decodeLog(fs.readFileSync(fd)) };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

export function readLog(file: string): LogContents {
  const opened = openLog(file);
  if (!opened) return { kind: 'missing' };
  fs.closeSync(opened.fd);
  return opened.contents;
}

/** An open log, appended to by this process only. */
export class LogWriter {
  readonly file: string;
  #fd: number;
  #size: number;

  private constructor(file: string, fd: number, size: number) {
    this.file = file;
    this.#fd = fd;
    this.#size = size;
  }

  /**
   * Puts a new log holding `records` in place of whatever is at `file` (renamed
   * over it, so a process still holding the old one sees that it was replaced;
   * the records are fsync'd first) and opens it.
   */
  static create(file: string, records: readonly Buffer[] = []): LogWriter {
    const tmp = `${file}.new-${process.pid}`;
    const content = Buffer.concat([LOG_MAGIC, ...records]);
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeFileSync(fd, content);
      if (records.length > 0) fs.fdatasyncSync(fd);
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fsyncDir(path.dirname(file));
    return new LogWriter(file, fd, content.length);
  }

  get size(): number {
    return this.#size;
  }

  /** Whether `onDisk` (the path's stat) is still this open file, at the size this process left it. */
  isFile(onDisk: fs.Stats): boolean {
    const own = fs.fstatSync(this.#fd);
    return own.ino === onDisk.ino && own.dev === onDisk.dev && own.size === this.#size;
  }

  /** One write at the end. A failed or short write is cut off again, so the log never keeps half a record. */
  append(record: Buffer): void {
    let written: number;
    try {
      written = fs.writeSync(this.#fd, record, 0, record.length, this.#size);
    } catch (err) {
      this.#cutBack();
      throw err;
    }
    if (written !== record.length) {
      this.#cutBack();
      throw Object.assign(new Error(`short write to the stream log (${written} of ${record.length} bytes)`), { code: 'ENOSPC' });
    }
    this.#size += written;
  }

  /** Makes what was appended survive a power cut, not only a crash. */
  sync(): void {
    fs.fdatasyncSync(this.#fd);
  }

  close(): void {
    fs.closeSync(this.#fd);
  }

  #cutBack(): void {
    try {
      fs.ftruncateSync(this.#fd, this.#size);
    } catch {
      // The reader stops at the torn record anyway.
    }
  }
}
