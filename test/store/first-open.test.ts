// Any number of processes may open one data directory at once, whether it does
// not exist yet or holds a database of an older schema: the directory, the
// database and every migration are made exactly once, and every process opens.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/store/schema.ts';
import { CHILDREN, cleanupTempDirs, NODE, openStore, tempDir } from './helpers.ts';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'store', 'v1.db');
const RACERS = 8;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  cleanupTempDirs();
});

interface Racer { ready: Promise<void>; answer: Promise<string>; go: () => void }

function racer(dataDir: string): Racer {
  const child = spawn(NODE, [path.join(CHILDREN, 'open-child.ts'), dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => { onReady = resolve; });
  child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
  const answer = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('READY\n')) onReady();
      const line = out.split('\n').find((l) => l.startsWith('OK') || l.startsWith('ERR'));
      if (line) resolve(line);
    });
    child.on('close', (code) => reject(new Error(`open child ended (code ${code}) without answering: ${err}`)));
  });
  return { ready, answer, go: () => child.stdin.end('GO\n') };
}

/** Starts RACERS processes, lets them all load, then releases them at once; returns what each printed. */
async function race(dataDir: string): Promise<string[]> {
  const racers = Array.from({ length: RACERS }, () => racer(dataDir));
  await Promise.all(racers.map((r) => r.ready));
  for (const r of racers) r.go();
  return Promise.all(racers.map((r) => r.answer));
}

describe('first open of a data directory by many processes at once', () => {
  it(`${RACERS} processes opening one fresh data directory all succeed, 20 rounds`, async () => {
    for (let round = 0; round < 20; round++) {
      const dataDir = path.join(tempDir('first-open'), 'not', 'yet', 'made');
      const answers = await race(dataDir);
      expect({ round, answers }).toEqual({ round, answers: Array.from({ length: RACERS }, () => `OK ${SCHEMA_VERSION} 0`) });
      const store = openStore(dataDir);
      expect(store.verify().ok).toBe(true);
      store.close();
    }
  }, 240_000);

  it(`${RACERS} processes opening an old (v1) database at once all succeed; it is migrated and backed up once`, async () => {
    for (let round = 0; round < 5; round++) {
      const dataDir = tempDir('first-open-v1');
      fs.copyFileSync(FIXTURE, path.join(dataDir, 'cairn.db'));
      const answers = await race(dataDir);
      const sessions = answers[0]?.split(' ')[2];
      expect(Number(sessions)).toBeGreaterThan(0);
      expect({ round, answers }).toEqual({ round, answers: Array.from({ length: RACERS }, () => `OK ${SCHEMA_VERSION} ${sessions}`) });
      const store = openStore(dataDir);
      expect(store.listBackups().map((b) => [b.reason, b.schemaVersion])).toEqual([['before-migration', 1]]);
      expect(store.verify().ok).toBe(true);
      store.close();
    }
  }, 240_000);
});
