// The baseline Cairn is measured against, kept in bench/ only: the pattern of
// LangGraph-style checkpointers, where every checkpoint is a full snapshot of
// the thread's state (its whole message history, including the partial
// answer being streamed), serialised as JSON.
//
// Two shapes of it are used:
// - NaiveFileCheckpointer: the snapshot rewritten to one file every 5 tokens
//   with fsync (what "checkpoint while streaming" turns into with a snapshot
//   checkpointer);
// - NaiveSnapshotStore: one snapshot row per step in SQLite (WAL, like the
//   SqliteSaver), for the storage-growth comparison.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';

export interface NaiveMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The JSON a snapshot checkpointer writes: every channel value, every time. */
export function snapshotJson(threadId: string, step: number, messages: readonly NaiveMessage[]): string {
  return JSON.stringify({
    v: 1,
    thread_id: threadId,
    checkpoint_id: randomUUID(),
    ts: new Date().toISOString(),
    channel_values: { messages },
    channel_versions: { messages: step },
    metadata: { source: 'loop', step, writes: null },
  });
}

export class NaiveFileCheckpointer {
  readonly file: string;
  readonly everyTokens: number;
  readonly #history: readonly NaiveMessage[];
  #partial = '';
  #tokens = 0;
  #step = 0;
  writes = 0;
  bytesHandedToWrite = 0;

  constructor(file: string, history: readonly NaiveMessage[], everyTokens = 5) {
    this.file = file;
    this.#history = history;
    this.everyTokens = everyTokens;
  }

  /** One streamed token; every `everyTokens` tokens the whole snapshot is rewritten and fsynced. */
  token(text: string): void {
    this.#partial += text;
    this.#tokens += 1;
    if (this.#tokens % this.everyTokens === 0) this.#save();
  }

  /** The final snapshot when the answer is complete. */
  finish(): void {
    this.#save();
  }

  #save(): void {
    this.#step += 1;
    const json = snapshotJson('bench-thread', this.#step, [...this.#history, { role: 'assistant', content: this.#partial }]);
    const fd = openSync(this.file, 'w');
    try {
      const buf = Buffer.from(json, 'utf8');
      writeSync(fd, buf);
      fsyncSync(fd);
      this.writes += 1;
      this.bytesHandedToWrite += buf.length;
    } finally {
      closeSync(fd);
    }
  }
}

export class NaiveSnapshotStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  #parent: string | null = null;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (
      thread_id TEXT NOT NULL, checkpoint_id TEXT NOT NULL, parent_checkpoint_id TEXT,
      checkpoint TEXT NOT NULL, metadata TEXT NOT NULL, PRIMARY KEY (thread_id, checkpoint_id))`);
    this.#insert = this.#db.prepare('INSERT INTO checkpoints VALUES (?, ?, ?, ?, ?)');
  }

  /** One step: the full state (all messages so far) stored again. */
  put(threadId: string, step: number, messages: readonly NaiveMessage[]): void {
    const id = randomUUID();
    this.#insert.run(threadId, id, this.#parent, snapshotJson(threadId, step, messages), JSON.stringify({ step }));
    this.#parent = id;
  }

  /** Bytes used by live pages after folding the WAL into the file. */
  usedBytes(): number {
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
    const page = Number(this.#db.pragma('page_size', { simple: true }));
    const pages = Number(this.#db.pragma('page_count', { simple: true }));
    const free = Number(this.#db.pragma('freelist_count', { simple: true }));
    return (pages - free) * page;
  }

  close(): void {
    this.#db.close();
  }
}
