// A run that dies while it waits out a rate limit or a backoff leaves the
// session 'waiting' with a retry time. With no live process behind it, that
// session is interrupted (offered for one-click and automatic resume), not
// waiting forever for a retry nobody will make. `waiting` always has a retry
// time: a run that gave up on passages is paused, and an older database's
// settled wait (no retry time) reads as paused too.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../electron/store/paths.ts';
import { cleanupTempDirs, config, openStore, tempDir } from './helpers.ts';

afterEach(() => cleanupTempDirs());

describe('recoverInterrupted and waiting sessions', () => {
  it('marks a waiting session whose run died interrupted; a live wait stays waiting; an older settled wait (no retry time) reads as paused', () => {
    let clock = Date.parse('2025-03-01T00:00:00Z');
    const dir = tempDir('recover-waiting');
    const store = openStore(dir, () => new Date(clock));
    const retryAt = new Date(clock + 30_000).toISOString();
    const dead = store.createSession({ name: 'dead wait', config });
    const live = store.createSession({ name: 'live wait', config });
    const settled = store.createSession({ name: 'gave up on passages', config });
    expect(store.acquireLease(dead.id, 'gone')).not.toBeNull();
    store.updateSession(dead.id, { status: 'waiting', reason: { code: 'rate_limit', message: 'Rate limited.' }, retryAt });
    // What an older Cairn wrote when passages gave up; this one refuses to write it.
    expect(() => store.updateSession(settled.id, { status: 'waiting', reason: { code: 'attempts_exhausted', message: '2 passages failed.' }, retryAt: null })).toThrow(/retry time/);
    const raw = new Database(path.join(dir, DB_FILE));
    raw.prepare(`UPDATE sessions SET status = 'waiting', retry_at = NULL, reason = ? WHERE id = ?`).run(JSON.stringify({ code: 'attempts_exhausted', message: '2 passages failed.' }), settled.id);
    raw.close();
    clock += 11_000;
    // The live run renews its lease; the dead one stopped renewing 11 s ago.
    expect(store.acquireLease(live.id, 'alive')).not.toBeNull();
    store.updateSession(live.id, { status: 'waiting', reason: { code: 'rate_limit', message: 'Rate limited.' }, retryAt });

    expect(store.recoverInterrupted()).toEqual([dead.id]);
    expect(store.getSession(dead.id)).toMatchObject({ status: 'interrupted', retryAt: null });
    expect(store.getSession(live.id).status).toBe('waiting');
    expect(store.getSession(settled.id)).toMatchObject({ status: 'paused', retryAt: null, reason: { code: 'attempts_exhausted' } });
    expect(store.listSessions({ status: 'paused' }).items.map((s) => s.id)).toContain(settled.id);
    expect(store.acquireLease(dead.id, 'resumer')).not.toBeNull();
    store.close();
  });
});
