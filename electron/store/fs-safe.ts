// Small durable-file helpers: write to a temporary name, fsync, rename, fsync
// the directory, so a power cut leaves either the old or the new file.
import fs from 'node:fs';
import path from 'node:path';

export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open a directory; rename is still atomic there.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Write to a temp file, fsync, rename over, fsync the folder: a crash leaves the old or the new file, never half. */
export function writeFileAtomic(file: string, data: string, mode = 0o666): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** What Cairn keeps is for the user who runs it: other accounts on the machine read nothing (POSIX). */
export const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** Sets `mode` on a file or folder of ours that is more open than that. Quiet when it is gone, not ours, or on Windows (ACLs). */
export function makePrivate(p: string, mode = PRIVATE_FILE_MODE): void {
  if (process.platform === 'win32') return;
  try {
    const st = fs.statSync(p);
    if ((st.mode & 0o777 & ~mode) !== 0 && st.uid === process.getuid?.()) fs.chmodSync(p, st.mode & 0o777 & mode);
  } catch {
    // Gone meanwhile or not ours to change: the open that follows reports real problems.
  }
}

/** Creates a folder (and missing parents) for its owner only, and closes one an older Cairn left 0755. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  makePrivate(dir, PRIVATE_DIR_MODE);
}

export function existsFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** An existing file with no write permission for anyone (what `chmod a-w` leaves), whoever asks. */
export function isReadOnlyFile(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if ((st.mode & 0o222) === 0) return true;
    fs.accessSync(file, fs.constants.W_OK);
    return false;
  } catch (err) {
    return typeof err === 'object' && err !== null && 'code' in err && (err.code === 'EACCES' || err.code === 'EPERM');
  }
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // best effort: a leftover temporary file is harmless
  }
}
