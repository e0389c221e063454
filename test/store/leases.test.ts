import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../../electron/store/leases.ts';
import { CHILDREN, cleanupTempDirs, config, NODE, openStore, tempDir } from './helpers.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  cleanupTempDirs();
});

function racer(dataDir: string, sessionId: string, owner: string, startAt: number): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(NODE, [path.join(CHILDREN, 'lease-child.ts'), dataDir, sessionId, owner, String(startAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('GOT') || l.startsWith('DENIED'));
      if (line) resolve({ child, line });
    });
    child.stderr?.on('data', (b: Buffer) => { err += b.toString(); });
    child.on('close', () => reject(new Error(`lease child ended without answering: ${err}`)));
  });
}

describe('leases', () => {
  it('two processes racing for one session: exactly one runs it; a killed holder is taken over', async () => {
    const dataDir = tempDir('lease');
    const store = openStore(dataDir);
    const s = store.createSession({ name: 'raced', config });
    const startAt = Date.now() + 1_500;
    const results = await Promise.all([racer(dataDir, s.id, 'gui', startAt), racer(dataDir, s.id, 'cli', startAt)]);
    const winners = results.filter((r) => r.line.startsWith('GOT'));
    expect(winners).toHaveLength(1);
    const holder = winners[0] as { child: ChildProcess; line: string };
    // the live holder keeps it
    expect(store.acquireLease(s.id, 'parent')).toBeNull();
    store.updateSession(s.id, { status: 'running' });
    expect(store.recoverInterrupted()).toEqual([]);
    await new Promise<void>((resolve) => {
      holder.child.on('exit', () => resolve());
      holder.child.kill('SIGKILL');
    });
    // dead pid: the session shows as interrupted and the lease is taken over
    expect(store.recoverInterrupted()).toEqual([s.id]);
    expect(store.getSession(s.id).status).toBe('interrupted');
    const lease = store.acquireLease(s.id, 'parent');
    expect(lease).toMatchObject({ owner: 'parent', pid: process.pid });
    store.close();
  }, 30_000);

  it('a lease whose heartbeat is older than 10 s is stale even if its pid lives', () => {
    let clock = Date.parse('2025-03-01T00:00:00Z');
    const store = openStore(tempDir('lease'), () => new Date(clock));
    const s = store.createSession({ name: 'stale', config });
    expect(store.acquireLease(s.id, 'a')).not.toBeNull();
    expect(store.acquireLease(s.id, 'b')).toBeNull();
    clock += 9_000;
    expect(store.heartbeat(s.id, 'a')).toBe(true);
    clock += 9_000;
    expect(store.acquireLease(s.id, 'b')).toBeNull();
    clock += 10_001;
    expect(store.acquireLease(s.id, 'b')).toMatchObject({ owner: 'b' });
    expect(store.heartbeat(s.id, 'a')).toBe(false);
    store.releaseLease(s.id, 'b');
    expect(store.acquireLease(s.id, 'a')).not.toBeNull();
    store.close();
  });
});

describe('a dead holder', () => {
  // A killed process stays a zombie until its parent reaps it, and signal 0 still reaches a zombie.
  // Where nobody reaps at once (a container's init, a parent that is busy), the lease must not look held.
  it.runIf(process.platform === 'linux')('a killed process that is not yet reaped does not hold its lease', async () => {
    // `sleep 60` replaces the shell and never waits for the background sleep: once killed, that one stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(parent);
    const pid = await new Promise<number>((resolve) => parent.stdout?.once('data', (b: Buffer) => resolve(Number(b.toString().trim()))));
    expect(pidAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    const state = async (): Promise<string> => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      return stat.charAt(stat.lastIndexOf(') ') + 2);
    };
    // The kernel turns it into a zombie once the signal is delivered: wait for that (a loaded machine can take a while).
    while ((await state()) !== 'Z') await new Promise((r) => setTimeout(r, 20));
    expect(await state()).toBe('Z');
    expect(pidAlive(pid)).toBe(false);
  });
});
