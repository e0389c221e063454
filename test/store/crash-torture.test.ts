import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHILDREN, cleanupTempDirs, NODE, openStore, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const ROUNDS = 30;
const TRIGGERS = [null, 'B-start', 'R-start', 'S-start'] as const;

/** Runs the child until the trigger line (or a random delay) and SIGKILLs it. Returns what it printed. */
function runAndKill(dataDir: string, round: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [path.join(CHILDREN, 'torture-child.ts'), dataDir, String(round + 1)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let ready = false;
    const trigger = TRIGGERS[round % TRIGGERS.length] ?? null;
    let seen = 0;
    const kill = (): void => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    const safety = setTimeout(kill, 8_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!ready && out.includes('READY')) {
        ready = true;
        if (trigger === null) setTimeout(kill, 20 + Math.floor(Math.random() * 300));
      }
      if (trigger !== null && out.includes(trigger)) {
        seen += 1;
        // skip a random number of occurrences so kills land at varied depths
        if (seen > round % 3) setImmediate(kill);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(safety);
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (code ${code}): ${err}`));
      else resolve(out.split('\n').filter((l) => l.length > 0));
    });
  });
}

describe('crash torture', () => {
  it(`keeps every committed id across ${ROUNDS} SIGKILLs, including during backup, rollback and completeStep`, async () => {
    const dataDir = tempDir('torture');
    const committed: string[] = [];
    const backups: string[] = [];
    const printedParts = new Map<string, number>();
    let kills = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const lines = await runAndKill(dataDir, round);
      kills += 1;
      for (const line of lines) {
        const [tag, a, b] = line.split(' ');
        if (tag === 'C' || tag === 'S') committed.push(a as string);
        if (tag === 'B' || (tag === 'R' && b)) backups.push((tag === 'B' ? a : b) as string);
        if (tag === 'P') printedParts.set(a as string, (printedParts.get(a as string) ?? 0) + Number(b));
      }
      const store = openStore(dataDir);
      try {
        for (const id of committed) expect(store.getCheckpoint(id).id).toBe(id);
        const report = store.verify();
        expect(report.damaged).toEqual([]);
        expect(report.integrityCheck).toBe('ok');
        const stepsDone = new Set(store.database.prepare('SELECT step_key FROM checkpoints WHERE step_key IS NOT NULL').pluck().all() as string[]);
        const sid = store.listSessions().items[0]?.id as string;
        for (const [key, length] of printedParts) {
          // A completed step's parts were folded: they never come back from a stream log.
          if (stepsDone.has(key)) expect(store.partial(sid, key)).toBeNull();
          else expect(store.partial(sid, key)?.text.length ?? 0).toBeGreaterThanOrEqual(length);
        }
        const listed = new Map(store.listBackups().map((bk) => [bk.id, bk.verified]));
        for (const id of backups) expect(listed.get(id)).toBe('ok');
      } finally {
        store.close();
      }
    }
    expect(kills).toBe(ROUNDS);
    expect(committed.length).toBeGreaterThan(ROUNDS);
    expect(backups.length).toBeGreaterThan(0);
  }, 120_000);
});
