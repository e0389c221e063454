// Cairn's log file. A packaged app has no terminal, so main writes what it
// logs (and what the engine process prints) to `logs/cairn.log` in the data
// directory, rotated by size, readable by its owner only. Every line passes
// through a redactor first: stored keys and secret header values that main
// knows are replaced, and so is anything shaped like a credential, so a key
// that reaches a log line by mistake still never reaches the disk.
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../store/fs-safe.ts';

const LOG_DIR_NAME = 'logs';
const LOG_FILE_NAME = 'cairn.log';

export function logFileIn(dataDir: string): string {
  return path.join(dataDir, LOG_DIR_NAME, LOG_FILE_NAME);
}

/** Shapes that are credentials whatever their value: bearer tokens, sk-… keys, "api-key: …" pairs, URL user:password. */
const CREDENTIAL_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, '$1 [redacted]'],
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, '[redacted]'],
  [/\b((?:x-)?api[-_]?key|token|secret|password|authorization|cookie)(["']?\s*[:=]\s*["']?)[^\s"',;}]{4,}/gi, '$1$2[redacted]'],
  [/(\/\/[^/\s:@]+):[^@\s/]+@/g, '$1:[redacted]@'],
];

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Values to replace wherever they appear (decrypted keys, secret header values). Short values are ignored: they would blank common words. */
  add(values: Iterable<string>): void {
    for (const v of values) if (v && v.trim().length >= 6) this.#secrets.add(v.trim());
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const s of [...this.#secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('[redacted]');
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}

export interface RotatingLogOptions {
  file: string;
  redactor?: Redactor;
  /** Rotate when the file would pass this size. Default 1 MiB. */
  maxBytes?: number;
  /** Rotated files kept beside the current one (cairn.log.1 …). Default 3. */
  keep?: number;
  now?: () => Date;
}

export class RotatingLog {
  readonly file: string;
  readonly redactor: Redactor;
  readonly #maxBytes: number;
  readonly #keep: number;
  readonly #now: () => Date;
  #size: number | null = null;
  #broken = false;

  constructor(opts: RotatingLogOptions) {
    this.file = opts.file;
    this.redactor = opts.redactor ?? new Redactor();
    this.#maxBytes = opts.maxBytes ?? 1024 * 1024;
    this.#keep = opts.keep ?? 3;
    this.#now = opts.now ?? (() => new Date());
  }

  /** Appends one line (redacted, time-stamped). A log that cannot be written never stops the app. */
  write(line: string): void {
    if (this.#broken) return;
    const text = `${this.#now().toISOString()} ${this.redactor.redact(line).replace(/\r?\n/g, '\n    ')}\n`;
    try {
      if (this.#size === null) {
        ensurePrivateDir(path.dirname(this.file));
        this.#size = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
      }
      if (this.#size + Buffer.byteLength(text) > this.#maxBytes && this.#size > 0) this.#rotate();
      fs.appendFileSync(this.file, text, { mode: PRIVATE_FILE_MODE });
      this.#size += Buffer.byteLength(text);
    } catch {
      // A full or read-only disk: the app keeps working without its log.
      this.#broken = true;
    }
  }

  #rotate(): void {
    for (let i = this.#keep; i >= 1; i--) {
      const from = i === 1 ? this.file : `${this.file}.${i - 1}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i}`);
    }
    this.#size = 0;
  }
}

/** The last `count` lines of a log (current file first, then the newest rotated one if needed). */
export function tailLog(file: string, count: number): string[] {
  const lines: string[] = [];
  for (const f of [file, `${file}.1`]) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    lines.unshift(...text.split('\n').filter(Boolean));
    if (lines.length >= count) break;
  }
  return lines.slice(-count);
}
