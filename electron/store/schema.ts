// Schema versions. Each migration moves the database forward by one version;
// every pending one runs inside one exclusive transaction (db-open.ts); a
// database newer than the last entry is never written.
import type Database from 'better-sqlite3';
import { encodeBlob, hashText } from './blob-codec.ts';

/** 'CAIR' in ASCII: marks a SQLite file as Cairn's so a foreign database is recognised. */
export const APPLICATION_ID = 0x43414952;

export interface Migration {
  version: number;
  up(db: Database.Database): void;
}

const V1 = `
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  retry_at TEXT,
  progress TEXT NOT NULL,
  usage TEXT NOT NULL,
  config TEXT NOT NULL,
  head_id TEXT,
  fork_session_id TEXT,
  fork_checkpoint_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  trashed_at TEXT
) STRICT;
CREATE INDEX sessions_by_activity ON sessions(updated_at DESC, id DESC);

CREATE TABLE blobs (
  hash TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  size INTEGER NOT NULL
) STRICT;

CREATE TABLE checkpoints (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  parent_id TEXT REFERENCES checkpoints(id),
  depth INTEGER NOT NULL,
  kind TEXT NOT NULL,
  step_key TEXT,
  state TEXT NOT NULL,
  output_hash TEXT REFERENCES blobs(hash),
  usage TEXT NOT NULL,
  created_at TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX checkpoints_by_session ON checkpoints(session_id, id);
CREATE INDEX checkpoints_by_parent ON checkpoints(parent_id);
CREATE INDEX checkpoints_by_output ON checkpoints(output_hash);

CREATE TABLE head_moves (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  kind TEXT NOT NULL CHECK (kind IN ('rollback', 'undo')),
  from_id TEXT REFERENCES checkpoints(id),
  to_id TEXT REFERENCES checkpoints(id),
  undone INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX head_moves_by_session ON head_moves(session_id, id);

CREATE TABLE stream_parts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  step_key TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX stream_parts_by_step ON stream_parts(session_id, step_key, attempt, id);

-- Self-contained (no foreign key to checkpoints) so a memo hit outlives a
-- rolled-back branch or a purged session and is shared by forks.
CREATE TABLE memo (
  memo_key TEXT PRIMARY KEY,
  output_hash TEXT NOT NULL REFERENCES blobs(hash),
  usage TEXT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  checkpoint_id TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE leases (
  session_id TEXT PRIMARY KEY REFERENCES sessions(id),
  owner TEXT NOT NULL,
  pid INTEGER NOT NULL,
  heartbeat_ms INTEGER NOT NULL
) STRICT;
`;

// v2: one streamed part is one fsync'd commit, so its cost is the number of
// pages it changes. v1 changed three (the table's leaf, the stream_parts_by_step
// index leaf and the AUTOINCREMENT row in sqlite_sequence), about 18 KiB of
// physical writes for a 60-byte part. Keyed WITHOUT ROWID by
// (session_id, step_key, attempt, seq), an append changes one leaf page: the
// key is the lookup order, so no secondary index and no sequence row exist.
// seq counts from 0 within an attempt and is never reused (plain INSERT, no
// REPLACE), so appends never rewrite earlier parts. Parts over ~1,000 bytes
// spill the rest into an overflow page (WITHOUT ROWID keeps less inline),
// which is small beside the text itself.
const V2 = `
CREATE TABLE stream_parts_v2 (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  step_key TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 0),
  text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (session_id, step_key, attempt, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO stream_parts_v2 (session_id, step_key, attempt, seq, text, created_at)
  SELECT session_id, step_key, attempt,
    row_number() OVER (PARTITION BY session_id, step_key, attempt ORDER BY id) - 1,
    text, created_at
  FROM stream_parts;
DROP TABLE stream_parts;
ALTER TABLE stream_parts_v2 RENAME TO stream_parts;
`;

// v3: bookkeeping per step was larger than the text a step adds (about 1.6 KB
// per turn of a growing conversation against ~700 B of new text). Hashes are
// 32 raw bytes instead of 64 hex characters; texts are deflated when that is
// smaller (see blob-codec.ts); usage is four numbers, not a JSON text; a memo
// entry points at its checkpoint instead of repeating its output, kind, state
// and usage, which are copied into the entry only when that checkpoint is
// purged (memo.ts). The domain still speaks hex.
const V3_TABLES = `
CREATE TABLE blobs_v3 (
  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
  size INTEGER NOT NULL CHECK (size >= 0),
  codec INTEGER NOT NULL CHECK (codec IN (0, 1)),
  data BLOB NOT NULL
) STRICT;

CREATE TABLE checkpoints_v3 (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  parent_id TEXT REFERENCES checkpoints(id),
  depth INTEGER NOT NULL,
  kind TEXT NOT NULL,
  step_key TEXT,
  state TEXT NOT NULL,
  output_hash BLOB REFERENCES blobs(hash),
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  usage_estimated INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  hash BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

-- output_hash, kind, state and usage are NULL while checkpoint_id exists
-- (they are read from it) and hold a copy once that checkpoint is purged.
CREATE TABLE memo_v3 (
  memo_key TEXT PRIMARY KEY,
  checkpoint_id TEXT NOT NULL,
  output_hash BLOB REFERENCES blobs(hash),
  kind TEXT,
  state TEXT,
  usage TEXT,
  CHECK ((output_hash IS NULL) = (kind IS NULL) AND (kind IS NULL) = (state IS NULL) AND (state IS NULL) = (usage IS NULL))
) STRICT, WITHOUT ROWID;
`;

const V3_SWAP = `
-- A usage that does not parse becomes -1 tokens: the record then reads as damaged, as it did.
INSERT INTO checkpoints_v3 (id, session_id, parent_id, depth, kind, step_key, state, output_hash,
    input_tokens, output_tokens, cost_usd, usage_estimated, created_at, hash)
  SELECT id, session_id, parent_id, depth, kind, step_key, state, unhex(output_hash),
    CAST(coalesce(json_extract(u, '$.inputTokens'), -1) AS INTEGER), CAST(coalesce(json_extract(u, '$.outputTokens'), -1) AS INTEGER),
    CAST(coalesce(json_extract(u, '$.costUsd'), -1) AS REAL), iif(json_extract(u, '$.estimated') = 1, 1, 0),
    created_at, unhex(hash)
  FROM (SELECT *, iif(json_valid(usage), usage, '{}') AS u FROM checkpoints);
INSERT INTO memo_v3 (memo_key, checkpoint_id, output_hash, kind, state, usage)
  SELECT m.memo_key, m.checkpoint_id, iif(c.id IS NULL, unhex(m.output_hash), NULL),
    iif(c.id IS NULL, m.kind, NULL), iif(c.id IS NULL, m.state, NULL), iif(c.id IS NULL, m.usage, NULL)
  FROM memo m LEFT JOIN checkpoints c
    ON c.id = m.checkpoint_id AND c.kind = m.kind AND c.state = m.state AND c.usage = m.usage AND c.output_hash = m.output_hash;
DROP TABLE memo;
DROP TABLE checkpoints;
DROP TABLE blobs;
ALTER TABLE blobs_v3 RENAME TO blobs;
ALTER TABLE checkpoints_v3 RENAME TO checkpoints;
ALTER TABLE memo_v3 RENAME TO memo;
CREATE INDEX checkpoints_by_session ON checkpoints(session_id, id);
CREATE INDEX checkpoints_by_parent ON checkpoints(parent_id);
CREATE INDEX checkpoints_by_output ON checkpoints(output_hash);
`;

const BLOB_PAGE = 256;

/** Runs with foreign keys off (db-open.ts), as SQLite's table-rebuild procedure asks; db-open checks them before committing. */
function migrateToV3(db: Database.Database): void {
  db.exec(V3_TABLES);
  // Blobs are re-encoded in JS, a page at a time (an open iterator would block the inserts).
  const page = db.prepare('SELECT rowid, hash, text FROM blobs WHERE rowid > ? ORDER BY rowid LIMIT ?');
  const insert = db.prepare('INSERT INTO blobs_v3 (hash, size, codec, data) VALUES (?, ?, ?, ?)');
  for (let after = 0; ;) {
    const rows = page.all(after, BLOB_PAGE) as Array<{ rowid: number; hash: string; text: string }>;
    if (rows.length === 0) break;
    for (const row of rows) {
      const blob = encodeBlob(row.text);
      // A v2 row whose key does not match its text keeps its key: Verify reports it, as before.
      const key = Buffer.from(row.hash, 'hex');
      insert.run(key.length === 32 ? key : hashText(row.text), blob.size, blob.codec, blob.data);
    }
    after = (rows[rows.length - 1] as { rowid: number }).rowid;
  }
  db.exec(V3_SWAP);
}

// v4: streamed parts wait in each session's stream log (stream-log.ts) until
// their step completes or the run ends. For each step the database records the
// last log record it has absorbed (moved in, folded or superseded), so a log
// left by a crash is imported exactly once and a completed step's parts never
// come back. Marks only matter while a log holds records at or below them.
const V4 = `
CREATE TABLE stream_log_marks (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  step_key TEXT NOT NULL,
  applied_lsn INTEGER NOT NULL CHECK (applied_lsn >= 0),
  PRIMARY KEY (session_id, step_key)
) WITHOUT ROWID;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, up: (db) => db.exec(V1) },
  { version: 2, up: (db) => db.exec(V2) },
  { version: 3, up: migrateToV3 },
  { version: 4, up: (db) => db.exec(V4) },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
