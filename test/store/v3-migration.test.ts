// Schema v3 stores hashes as bytes, texts deflated, usage as numbers and memo
// entries as pointers. A v2 database, written here row by row exactly as v2
// code wrote it, must open with the same checkpoints, hashes, memo hits and
// damage reports as before, after a verified v2 backup.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { checkpointHash } from '../../electron/store/checkpoints.ts';
import { canonicalJson, sha256 } from '../../electron/store/hashing.ts';
import { CODEC_DEFLATE, CODEC_UTF8 } from '../../electron/store/blob-codec.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/store/schema.ts';
import type { Checkpoint, JsonValue, Usage } from '../../shared/domain.ts';
import { cleanupTempDirs, config, openStore, tempDir, usage } from './helpers.ts';

afterEach(cleanupTempDirs);

const LONG = 'The Supplier shall deliver the Services within thirty (30) days — «clause 4.2». '.repeat(40);

interface V2Checkpoint { id: string; kind: Checkpoint['kind']; state: JsonValue; output: string | null; usage: Usage; memoKey?: string }

/** A v2 database holding one session whose checkpoints are written the way v2 code wrote them (hex hashes, text blobs, JSON usage, full memo rows). */
function v2Database(dataDir: string, rows: V2Checkpoint[], extra: (db: Database.Database, sessionId: string) => void = () => {}): { sessionId: string; checkpoints: Checkpoint[] } {
  const v2 = CheckpointStore.open({ dataDir, migrations: MIGRATIONS.filter((m) => m.version <= 2) });
  const session = v2.createSession({ name: 'v2 session', config });
  v2.close();
  const db = new Database(path.join(dataDir, 'cairn.db'));
  const checkpoints: Checkpoint[] = [];
  let parent: Checkpoint | null = null;
  rows.forEach((r, i) => {
    const outputHash = r.output === null ? null : sha256(r.output);
    if (r.output !== null) db.prepare('INSERT OR IGNORE INTO blobs (hash, text, size) VALUES (?, ?, ?)').run(outputHash, r.output, Buffer.byteLength(r.output));
    const base = { id: r.id, sessionId: session.id, parentId: parent?.id ?? null, kind: r.kind, stepKey: r.kind === 'map' ? `map:${i}` : null, state: r.state, outputHash, usage: r.usage, createdAt: `2026-01-0${1 + i}T10:00:00.000Z` };
    const cp: Checkpoint = { ...base, hash: checkpointHash(parent?.hash ?? '', base) };
    db.prepare(`INSERT INTO checkpoints (id, session_id, parent_id, depth, kind, step_key, state, output_hash, usage, created_at, hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(cp.id, cp.sessionId, cp.parentId, i, cp.kind, cp.stepKey, canonicalJson(cp.state), cp.outputHash, canonicalJson({ ...cp.usage }), cp.createdAt, cp.hash);
    if (r.memoKey && outputHash) {
      db.prepare('INSERT INTO memo (memo_key, output_hash, usage, kind, state, checkpoint_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(r.memoKey, outputHash, canonicalJson({ ...cp.usage }), cp.kind, canonicalJson(cp.state), cp.id, cp.createdAt);
    }
    checkpoints.push(cp);
    parent = cp;
  });
  db.prepare('UPDATE sessions SET head_id = ? WHERE id = ?').run(parent === null ? null : (parent as Checkpoint).id, session.id);
  extra(db, session.id);
  db.close();
  return { sessionId: session.id, checkpoints };
}

const ROWS: V2Checkpoint[] = [
  { id: '01JAAAAAAAAAAAAAAAAAAAAAA0', kind: 'session', state: { documents: 1 }, output: null, usage: usage(0, 0, 0) },
  { id: '01JAAAAAAAAAAAAAAAAAAAAAA1', kind: 'map', state: { chunk: 0 }, output: LONG, usage: usage(1_200, 300, 0.1 + 0.2), memoKey: 'v2-memo-long' },
  { id: '01JAAAAAAAAAAAAAAAAAAAAAA2', kind: 'map', state: { chunk: 1, note: 'é' }, output: 'short', usage: { ...usage(5, 6, 0), estimated: true }, memoKey: 'v2-memo-short' },
];

describe('migrating a v2 database to v3', () => {
  it('keeps every checkpoint, hash, text and memo hit, and backs the v2 file up first', () => {
    const dataDir = tempDir('v2');
    const { sessionId, checkpoints } = v2Database(dataDir, ROWS, (db) => {
      // A memo entry whose checkpoint was purged under v2 keeps its own copy.
      db.prepare('INSERT INTO blobs (hash, text, size) VALUES (?, ?, ?)').run(sha256('orphan answer'), 'orphan answer', 13);
      db.prepare('INSERT INTO memo (memo_key, output_hash, usage, kind, state, checkpoint_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run('v2-memo-orphan', sha256('orphan answer'), canonicalJson({ ...usage(1, 2, 0.5) }), 'answer', canonicalJson({ turn: 4 }), '01JBBBBBBBBBBBBBBBBBBBBBB0', '2026-01-09T10:00:00.000Z');
    });
    const store = openStore(dataDir);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.listBackups()[0]).toMatchObject({ reason: 'before-migration', schemaVersion: 2, verified: 'ok' });

    expect(store.headPath(sessionId)).toEqual(checkpoints);
    expect(store.getBlob(checkpoints[1]?.outputHash as string)).toBe(LONG);
    expect(store.getBlob(checkpoints[2]?.outputHash as string)).toBe('short');
    expect(store.memoGet('v2-memo-long')).toEqual({ memoKey: 'v2-memo-long', output: LONG, usage: ROWS[1]?.usage, checkpointId: ROWS[1]?.id, kind: 'map', state: { chunk: 0 } });
    expect(store.memoGet('v2-memo-short')).toMatchObject({ output: 'short', usage: { estimated: true }, state: { chunk: 1, note: 'é' } });
    expect(store.memoGet('v2-memo-orphan')).toEqual({ memoKey: 'v2-memo-orphan', output: 'orphan answer', usage: usage(1, 2, 0.5), checkpointId: '01JBBBBBBBBBBBBBBBBBBBBBB0', kind: 'answer', state: { turn: 4 } });
    expect(store.verify()).toMatchObject({ ok: true, checkedCheckpoints: 3, checkedBlobs: 2 });

    // Stored the v3 way: raw 32-byte keys, the long text deflated, the short one as it is, memo entries as pointers.
    const db = store.database;
    const blobs = db.prepare('SELECT length(hash) AS keyBytes, codec, size, length(data) AS stored FROM blobs ORDER BY size DESC').all() as Array<{ keyBytes: number; codec: number; size: number; stored: number }>;
    expect(blobs.every((b) => b.keyBytes === 32)).toBe(true);
    expect(blobs[0]).toMatchObject({ codec: CODEC_DEFLATE, size: Buffer.byteLength(LONG) });
    expect((blobs[0] as { stored: number }).stored).toBeLessThan(Buffer.byteLength(LONG) / 4);
    expect(blobs.at(-1)).toMatchObject({ codec: CODEC_UTF8, size: 5, stored: 5 });
    expect(db.prepare('SELECT memo_key FROM memo WHERE output_hash IS NULL AND kind IS NULL ORDER BY memo_key').pluck().all()).toEqual(['v2-memo-long', 'v2-memo-short']);

    // The migrated session goes on: a new step chains onto the v2 hashes.
    const next = store.completeStep(sessionId, { stepKey: 'map:9', attempt: 0, kind: 'map', memoKey: 'v3-memo', usage: usage(), output: LONG });
    expect(next.outputHash).toBe(checkpoints[1]?.outputHash);
    expect(store.verify().ok).toBe(true);
    store.close();
  });

  it('keeps damage visible: a v2 checkpoint changed after it was written still fails Verify', () => {
    const dataDir = tempDir('v2-damaged');
    const { checkpoints } = v2Database(dataDir, ROWS, (db) => {
      db.prepare("UPDATE checkpoints SET usage = '{\"costUsd\":9,\"estimated\":false,\"inputTokens\":1200,\"outputTokens\":300}' WHERE id = ?").run(ROWS[1]?.id);
      db.prepare('UPDATE checkpoints SET usage = ? WHERE id = ?').run('not json', ROWS[2]?.id);
    });
    const store = openStore(dataDir);
    const report = store.verify();
    expect(report.ok).toBe(false);
    expect(report.damaged.map((d) => d.checkpointId).sort()).toEqual([checkpoints[1]?.id, checkpoints[2]?.id]);
    store.close();
  });
});

describe('stored texts', () => {
  it('a damaged deflated text is reported by Verify and refused on read, never returned garbled', () => {
    const store = openStore();
    const s = store.createSession({ name: 'texts', config });
    const cp = store.appendCheckpoint(s.id, { kind: 'session', output: LONG });
    const key = Buffer.from(cp.outputHash as string, 'hex');
    const stored = store.database.prepare('SELECT data FROM blobs WHERE hash = ?').pluck().get(key) as Buffer;
    const flipped = Buffer.from(stored);
    flipped[Math.floor(flipped.length / 2)] = (flipped[Math.floor(flipped.length / 2)] as number) ^ 0x5a;
    store.database.prepare('UPDATE blobs SET data = ? WHERE hash = ?').run(flipped, key);
    expect(() => store.getBlob(cp.outputHash as string)).toThrow(/damaged/);
    const report = store.verify();
    expect(report.ok).toBe(false);
    expect(report.damaged[0]).toMatchObject({ checkpointId: cp.id, problem: expect.stringMatching(/does not match its hash/) });
    store.close();
  });
});
