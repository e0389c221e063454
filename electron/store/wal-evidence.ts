// SQLite drops a damaged WAL (a bad header or frame checksum) or a cut-short one
// without a word, and deletes it when the store closes: committed steps can
// vanish with no trace. Cairn keeps its own evidence: a copy of the WAL as it
// was found before the open, kept only when the open turns out to have lost
// steps, and commit marks in the session stream logs (stream-log.ts) that say
// which steps had been committed.
import fs from 'node:fs';
import path from 'node:path';
import type { BackupInfo } from '../../shared/domain.ts';
import { StoreError } from './errors.ts';
import { fileSize, removeQuietly } from './fs-safe.ts';
import { dbPath, fileStamp } from './paths.ts';
import type { LostCommits } from './stream.ts';

/** What an open found missing, and where the evidence was kept. */
export interface CommitLoss {
  lost: LostCommits[];
  /** The WAL as found before the open (null when there was none). */
  walKept: string | null;
  /** Copies of the stream logs holding the commit marks. */
  logsKept: string[];
  newestBackup: BackupInfo | null;
  /** The same as a reason a person can act on (code corrupt: the database lost data). */
  reason: StoreError;
}

/**
 * Before SQLite opens (and may reset) a WAL left by a process that did not close the store, a copy is put
 * beside it: `cairn.db-wal.unclean-<time>`. A copy, not a rename: another Cairn process may be using it.
 */
export function copyWalAside(dataDir: string, now: Date): string | null {
  const wal = `${dbPath(dataDir)}-wal`;
  if (fileSize(wal) === 0) return null;
  const copy = `${wal}.unclean-${fileStamp(now)}`;
  try {
    fs.copyFileSync(wal, copy, fs.constants.COPYFILE_EXCL);
    return copy;
  } catch {
    // Evidence only: a folder that refuses the copy still opens (and says so later, if it cannot be written).
    removeQuietly(copy);
    return null;
  }
}

/** Keeps the evidence of a loss (the WAL copy stays, each log with lost marks is copied) and words it; null when nothing was lost. */
export function noteCommitLoss(lost: LostCommits[], walCopy: string | null, now: Date, newestBackup: BackupInfo | null, dataDir: string): CommitLoss | null {
  if (lost.length === 0) {
    if (walCopy) removeQuietly(walCopy);
    return null;
  }
  const logsKept: string[] = [];
  for (const l of lost) {
    const copy = `${l.log}.unclean-${fileStamp(now)}`;
    try {
      fs.copyFileSync(l.log, copy, fs.constants.COPYFILE_EXCL);
      logsKept.push(copy);
    } catch {
      // The log itself still holds the marks until its session is written again.
    }
  }
  const which = lost.map((l) => `session ${l.sessionId}: ${l.steps.length} step${l.steps.length === 1 ? '' : 's'} (${l.steps.slice(0, 20).map((m) => m.stepKey).join(', ')}${l.steps.length > 20 ? ', …' : ''})`).join('; ');
  const kept = [walCopy ? `the write-ahead log as it was found is kept at ${walCopy}` : 'no write-ahead log was left to keep',
    logsKept.length > 0 ? `the session logs that recorded the commits at ${logsKept.map((f) => path.basename(f)).join(', ')} in ${path.dirname(logsKept[0] as string)}` : null].filter(Boolean).join('; ');
  const reason = new StoreError('corrupt',
    `Steps whose saving had completed are missing from ${dbPath(dataDir)}: its write-ahead log was damaged, cut short or lost, and SQLite drops such a log without a word. Lost: ${which}. Nothing was deleted: ${kept}.`,
    newestBackup
      ? `Restore the newest verified backup "${newestBackup.id}" (${newestBackup.createdAt}) from the Backups panel or with \`cairn backup restore ${newestBackup.id}\`, or resume the sessions to redo the lost steps.`
      : 'No verified backup exists: resume the sessions to redo the lost steps, and keep the files named above for recovery tools.',
    { newestBackup });
  return { lost, walKept: walCopy, logsKept, newestBackup, reason };
}
