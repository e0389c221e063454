// bin/cairn.js started by an older system Node re-runs itself on the Node 24
// from node_modules. Whatever ends the launcher (a TERM from a service manager,
// a KILL) must end the engine with it, cleanly: the run is paused, its lease
// released, no Cairn process is left, and `cairn resume` works at once.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { pidAlive } from '../../electron/store/leases.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { CLI, jsonOf, lastEvent, ROOT, runCli, simArgs, sleep, startCli, tempDir } from './helpers.ts';

/** The Node a user's shell finds, outside node_modules/.bin (Debian's, older than 22.18 here). */
function systemNode(): string {
  const path = (process.env.PATH ?? '').split(':').filter((p) => !p.includes('node_modules')).join(':');
  const found = execFileSync('sh', ['-c', 'command -v node'], { env: { ...process.env, PATH: path }, encoding: 'utf8' }).trim();
  if (!found || !existsSync(found)) throw new Error('no system node on PATH');
  return found;
}

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function leaseOf(dataDir: string, sessionId: string): { pid: number; owner: string } | undefined {
  const db = new Database(join(dataDir, 'cairn.db'), { readonly: true, fileMustExist: true, timeout: 5_000 });
  try {
    return db.prepare('SELECT pid, owner FROM leases WHERE session_id = ?').get(sessionId) as { pid: number; owner: string } | undefined;
  } finally {
    db.close();
  }
}

async function until<T>(what: string, probe: () => T | undefined | false, deadlineMs = 20_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe.concurrent('killing the launcher on the system Node', () => {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`${signal} of the launcher pid pauses the engine, releases its lease and leaves no Cairn process; resume works at once`, async () => {
      const t = tempDir('launcher');
      cleanups.push(t.cleanup);
      const sim: Simulator = await startSimulator({ words: 400, tokensPerSecond: 40 });
      cleanups.push(() => sim.close());
      const doc = join(t.dir, 'contract.md');
      writeFileSync(doc, contractMarkdown(4));
      const dataDir = join(t.dir, 'data');

      const env = { ...process.env, CAIRN_DATA_DIR: dataDir, NO_COLOR: '1' };
      const launcher = spawn(systemNode(), [CLI, 'run', doc, '--task', 'Find every obligation', '--chunk-tokens', '300', '--concurrency', '1', ...simArgs(sim.baseURL), '--json'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const launcherPid = launcher.pid as number;
      cleanups.push(() => { if (pidAlive(launcherPid)) launcher.kill('SIGKILL'); });
      let out = '';
      launcher.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
      const launcherExit = new Promise<void>((r) => launcher.on('exit', () => r()));

      const sessionId = await until('the session event', () => /"type":"session","id":"([^"]+)"/.exec(out)?.[1]);
      await until('the first streamed text', () => (sim.log.completions()[0]?.content.length ?? 0) >= 5);
      const lease = await until('the engine\'s lease', () => existsSync(join(dataDir, 'cairn.db')) && leaseOf(dataDir, sessionId));
      const engine = lease.pid;
      cleanups.push(() => { if (pidAlive(engine)) process.kill(engine, 'SIGKILL'); });
      expect(engine, 'the engine runs in a child of the launcher (the system Node is older than 22.18)').not.toBe(launcherPid);

      process.kill(launcherPid, signal);
      await launcherExit;
      await until('the engine to end', () => !pidAlive(engine));

      // It ended cleanly: the lease was released, not left behind by a dead pid.
      expect(leaseOf(dataDir, sessionId)).toBeUndefined();
      const show = jsonOf<{ status: string }>(await runCli(['show', sessionId, '--json'], { dataDir }));
      expect(show.status).toBe('paused');

      sim.configure({ tokensPerSecond: 0 });
      const resumed = await startCli(['resume', sessionId, '--json'], { dataDir, timeoutMs: 120_000 }).exited;
      expect(lastEvent(resumed), resumed.stderr).toMatchObject({ type: 'done' });
    }, 150_000);
  }
});
