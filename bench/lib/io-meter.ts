// Bytes a process caused to be written to storage, from /proc/<pid>/io
// (write_bytes). Where that file is missing (not Linux, or a kernel without
// task I/O accounting) the caller falls back to measuring file growth.
import { readFileSync, statSync } from 'node:fs';

/** write_bytes of a process, or null when the kernel does not expose it. */
export function writeBytes(pid: number | 'self' = 'self'): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/io`, 'utf8');
    const m = /^write_bytes:\s*(\d+)$/m.exec(text);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Total size of the files that exist among `paths` (a database, its -wal and -shm). */
export function fileBytes(paths: readonly string[]): number {
  let n = 0;
  for (const p of paths) {
    try {
      n += statSync(p).size;
    } catch {
      // absent: counts as 0
    }
  }
  return n;
}

export interface WriteMeter {
  /** 'proc' when /proc/self/io was read; 'files' when file growth was used instead. */
  readonly source: 'proc' | 'files';
  stop(): number;
}

/**
 * Starts counting bytes written by this process. `files` are the fallback:
 * their growth is what is reported when /proc/self/io is missing (an
 * underestimate of real writes, since rewrites in place are not seen).
 */
export function startWriteMeter(files: () => readonly string[]): WriteMeter {
  const start = writeBytes();
  if (start !== null) {
    return { source: 'proc', stop: () => (writeBytes() ?? start) - start };
  }
  const before = fileBytes(files());
  return { source: 'files', stop: () => Math.max(0, fileBytes(files()) - before) };
}
