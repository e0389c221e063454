import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, openStore, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'store', 'v1.db');

describe('the v1 fixture database', () => {
  it('opens with this version, keeps its sessions, partials, memo and fork, and verifies', () => {
    const dataDir = tempDir('v1');
    fs.copyFileSync(FIXTURE, path.join(dataDir, 'cairn.db'));
    const store = openStore(dataDir);
    expect(Number(store.database.pragma('user_version', { simple: true }))).toBeGreaterThanOrEqual(1);
    const sessions = store.listSessions().items;
    expect(sessions.map((s) => s.name).sort()).toEqual(['Fixture fork', 'Fixture v1']);
    const original = sessions.find((s) => s.name === 'Fixture v1');
    expect(store.headPath(original?.id as string).map((c) => c.kind)).toEqual(['session', 'map']);
    expect(store.partial(original?.id as string, 'map:1')?.text).toBe('interrupted partial');
    expect(store.memoGet('fixture-memo-0')?.output).toBe('The supplier must deliver within 30 days.');
    expect(store.verify().ok).toBe(true);
    store.close();
  });
});
