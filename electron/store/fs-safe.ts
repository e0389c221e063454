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
