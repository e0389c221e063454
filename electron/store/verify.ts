// Re-hashes every checkpoint against its parent's stored hash and every blob
// against its key, and runs SQLite's integrity_check. Names what is damaged.
import type Database from 'better-sqlite3';
import type { Id } from '../../shared/domain.ts';
import type { VerifyReport } from '../../shared/ipc/checkpoints.ts';
import { checkpointColumns, checkpointHash, hexColumn, rowToCheckpoint, type CheckpointRow } from './checkpoints.ts';
import { decodeBlob, hashText } from './blob-codec.ts';

const MAX_REPORTED = 10_000;

export function verify(db: Database.Database, sessionId: Id | null): VerifyReport {
  const damaged: VerifyReport['damaged'] = [];
  const note = (checkpointId: string, problem: string): void => {
    if (damaged.length < MAX_REPORTED) damaged.push({ checkpointId: checkpointId.slice(0, 64), problem: problem.slice(0, 1_000) });
  };
  let integrityCheck: string;
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    integrityCheck = rows.map((r) => r.integrity_check).join('; ').slice(0, 10_000);
  } catch (err) {
    integrityCheck = `integrity_check failed: ${err instanceof Error ? err.message : String(err)}`;
  }

  let checkedCheckpoints = 0;
  let checkedBlobs = 0;
  const blobOk = new Map<string, boolean>();
  try {
    const sql = `SELECT ${checkpointColumns('c')}, ${hexColumn('p.hash')} AS parent_hash,
        b.codec AS blob_codec, b.data AS blob_data, b.size AS blob_size, b.hash AS blob_key FROM checkpoints c
      LEFT JOIN checkpoints p ON p.id = c.parent_id
      LEFT JOIN blobs b ON b.hash = c.output_hash
      ${sessionId ? 'WHERE c.session_id = ?' : ''} ORDER BY c.id`;
    const stmt = db.prepare(sql);
    const iter = (sessionId ? stmt.iterate(sessionId) : stmt.iterate()) as IterableIterator<CheckpointRow & {
      parent_hash: string | null; blob_codec: unknown; blob_data: unknown; blob_size: unknown; blob_key: Buffer | null;
    }>;
    for (const row of iter) {
      checkedCheckpoints += 1;
      if (row.parent_id !== null && row.parent_hash === null) {
        note(row.id, `its parent ${row.parent_id} is missing`);
        continue;
      }
      let expected: string | null = null;
      try {
        const { hash: _stored, ...content } = rowToCheckpoint(row);
        expected = checkpointHash(row.parent_hash ?? '', content);
      } catch {
        note(row.id, 'its record cannot be read (damaged fields)');
        continue;
      }
      if (expected !== row.hash) note(row.id, 'its content does not match its hash (changed or damaged after it was written)');
      if (row.output_hash !== null) {
        if (row.blob_key === null) {
          note(row.id, `its output text ${row.output_hash.slice(0, 12)}… is missing`);
          continue;
        }
        let ok = blobOk.get(row.output_hash);
        if (ok === undefined) {
          try {
            ok = hashText(decodeBlob(row.output_hash, row.blob_codec, row.blob_data, row.blob_size)).equals(row.blob_key);
          } catch {
            ok = false;
          }
          blobOk.set(row.output_hash, ok);
          checkedBlobs += 1;
        }
        if (!ok) note(row.id, `its output text ${row.output_hash.slice(0, 12)}… does not match its hash (damaged)`);
      }
    }
  } catch (err) {
    note('database', `reading checkpoints failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ok: damaged.length === 0 && integrityCheck === 'ok', checkedCheckpoints, checkedBlobs, damaged, integrityCheck };
}
