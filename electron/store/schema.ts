// Schema versions. Each migration moves the database forward by one version
// inside one transaction; a database newer than the last entry is never written.
import type Database from 'better-sqlite3';

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

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, up: (db) => db.exec(V1) },
  { version: 2, up: (db) => db.exec(V2) },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
