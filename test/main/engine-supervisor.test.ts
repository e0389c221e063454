import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EngineSupervisor, quitGracefully, type EngineProcess } from '../../electron/main/engine-supervisor.ts';
import type { EventName } from '../../shared/ipc/index.ts';
import { defaultSettings } from '../../electron/store/settings-file.ts';

const HOST = path.join(import.meta.dirname, 'fixtures', 'test-engine-host.ts');

function forkEngine(env: Record<string, string>, children: ChildProcess[]): () => EngineProcess {
  return () => {
    const child = fork(HOST, [], { execArgv: [], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (m) => child.send(m),
      onMessage: (fn) => child.on('message', fn),
      onExit: (fn) => child.on('exit', (code) => fn(code)),
      kill: () => child.kill('SIGTERM'),
    };
  };
}

async function until<T>(fn: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('engine supervision with a real forked engine', () => {
  let dir: string;
  let children: ChildProcess[];
  let received: Array<{ name: EventName; payload: unknown }>;
  let supervisor: EngineSupervisor | null;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-supervisor-'));
    children = [];
    received = [];
    supervisor = null;
  });
  afterEach(async () => {
    await supervisor?.shutdown(2_000);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function make(autoResume: boolean, runMs = 400): EngineSupervisor {
    supervisor = new EngineSupervisor({
      spawn: forkEngine({ TEST_ENGINE_STATE: path.join(dir, 'state.json'), TEST_ENGINE_RUN_MS: String(runMs) }, children),
      config: () => ({ settings: defaultSettings(), keys: { Work: { value: 'sk-test-key', origin: 'https://api.example.com' } } }),
      onEvent: (name, payload) => received.push({ name, payload }),
      autoResume: () => autoResume,
      backoff: { baseMs: 50, capMs: 200 },
      log: process.env.DEBUG_SUP ? (l) => console.log(l) : undefined,
    });
    return supervisor;
  }

  const ID_A = '01JBQ4Z8Y6W2N3XKPRS7TV5M9A';
  const ID_B = '01JBQ4Z8Y6W2N3XKPRS7TV5M9B';

  test('killed mid-request: restarted, the request fails with engine_restarted, engine:restarted lists what was running, auto-resume finishes it', async () => {
    const sup = make(true, 600);
    await sup.start();
    const firstPid = sup.pid;
    const started = (await sup.request('sessions:start', { id: ID_A })) as { status: string; configuredKeys: string[] };
    expect(started.status).toBe('running');
    expect(started.configuredKeys).toEqual(['Work']); // configure reached the engine before the first request
    expect(sup.running()).toEqual([ID_A]);

    const inFlight = sup.request('sessions:ask', { id: ID_A, question: 'why?' });
    const rejection = expect(inFlight).rejects.toMatchObject({ code: 'engine_restarted' });
    await new Promise((r) => setTimeout(r, 50));
    children[0]!.kill('SIGKILL');
    await rejection;

    const restarted = await until(() => received.find((e) => e.name === 'engine:restarted'), 'engine:restarted');
    expect(restarted.payload).toEqual({ interrupted: [ID_A] });
    expect(sup.pid).not.toBe(firstPid);
    expect(sup.restarts).toBe(1);

    // Auto-resume: the new engine saw it interrupted, was asked to resume it, and finished with the same result.
    const done = await until(() => received.find((e) => e.name === 'session:changed' && (e.payload as { status: string }).status === 'done'), 'done');
    expect(done.payload).toMatchObject({ id: ID_A, status: 'done', result: `report for ${ID_A}`, starts: 2 });
    expect(sup.running()).toEqual([]);
  });

  test('without autoResume the session stays interrupted until the user resumes it', async () => {
    const sup = make(false, 5_000);
    await sup.start();
    await sup.request('sessions:start', { id: ID_B });
    children[0]!.kill('SIGKILL');
    await until(() => received.find((e) => e.name === 'engine:restarted'), 'engine:restarted');
    const now = (await sup.request('sessions:get', { id: ID_B })) as { status: string };
    expect(now.status).toBe('interrupted');
    expect(sup.running()).toEqual([]);
  });

  test('errors from the engine come back typed, and the engine keeps serving', async () => {
    const sup = make(false);
    await sup.start();
    await expect(sup.request('sessions:get', { id: ID_A })).rejects.toMatchObject({ code: 'not_found', message: `Session ${ID_A} was not found.` });
    await expect(sup.request('sessions:list', {})).resolves.toMatchObject({ pid: sup.pid });
  });

  test('graceful shutdown checkpoints running sessions and waits for shutdown-complete', async () => {
    const sup = make(false, 5_000);
    await sup.start();
    await sup.request('sessions:start', { id: ID_A });
    await expect(sup.shutdown(5_000)).resolves.toEqual({ clean: true });
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as Record<string, { status: string }>;
    expect(state[ID_A]!.status).toBe('interrupted');
    await until(() => children[0]!.exitCode !== null || children[0]!.signalCode !== null, 'exit');
    expect(children[0]!.exitCode).toBe(0);
    await expect(sup.request('sessions:list', {})).rejects.toMatchObject({ code: 'engine_stopping' });
  });

  test('an engine that keeps crashing is given up on with an actionable error', async () => {
    supervisor = new EngineSupervisor({
      spawn: () => {
        throw new Error('spawn failed');
      },
      config: () => ({ settings: defaultSettings(), keys: {} }),
      onEvent: () => undefined,
      autoResume: () => false,
      backoff: { baseMs: 1, capMs: 5 },
      maxCrashes: 2,
    });
    await expect(supervisor.start()).rejects.toMatchObject({ code: 'engine_unavailable' });
    expect(supervisor.state).toBe('failed');
  });
});

describe('quitting', () => {
  test('asks first when sessions run, and does not shut down if the user keeps them running', async () => {
    let shutdowns = 0;
    const shutdown = async () => {
      shutdowns++;
      return { clean: true };
    };
    await expect(quitGracefully({ running: ['a'], confirm: async () => false, shutdown })).resolves.toBe('cancelled');
    expect(shutdowns).toBe(0);
    const asked: number[] = [];
    await expect(quitGracefully({ running: ['a', 'b'], confirm: async (n) => (asked.push(n), true), shutdown })).resolves.toBe('clean');
    expect(asked).toEqual([2]);
    await expect(quitGracefully({ running: [], confirm: async () => { throw new Error('must not ask'); }, shutdown: async () => ({ clean: false }) })).resolves.toBe('forced');
    expect(shutdowns).toBe(1);
  });
});

describe('what the supervisor counts as running', () => {
  /** An engine in this process: answers `sessions:create` the way the real service does when it starts the run at once. */
  function staleResponseEngine(crash: { now: (() => void) | null }): () => EngineProcess {
    return () => {
      let onMessage: (m: unknown) => void = () => undefined;
      let onExit: (code: number | null) => void = () => undefined;
      queueMicrotask(() => onMessage({ type: 'ready', pid: 1 }));
      crash.now = () => onExit(null);
      return {
        pid: 1,
        postMessage: (m) => {
          const msg = m as { type: string; id?: number; channel?: string };
          if (msg.type !== 'request') return;
          const id = '01JBQ4Z8Y6W2N3XKPRS7TV5M9C';
          // The run starts (an event says so), then the reply goes out with the session as it was created.
          onMessage({ type: 'event', name: 'session:changed', payload: { id, status: 'running' } });
          onMessage({ type: 'response', id: msg.id, ok: true, value: { id, status: 'created' } });
        },
        onMessage: (fn) => {
          onMessage = fn;
        },
        onExit: (fn) => {
          onExit = fn;
        },
        kill: () => undefined,
      };
    };
  }

  test('a reply that is older than the last status event does not undo it: a crash still announces the session as interrupted', async () => {
    const crash: { now: (() => void) | null } = { now: null };
    const received: Array<{ name: EventName; payload: unknown }> = [];
    const sup = new EngineSupervisor({
      spawn: staleResponseEngine(crash),
      config: () => ({ settings: defaultSettings(), keys: {} }),
      onEvent: (name, payload) => received.push({ name, payload }),
      autoResume: () => false,
      backoff: { baseMs: 1, capMs: 1 },
    });
    await sup.start();
    await sup.request('sessions:create', {});
    expect(sup.running()).toEqual(['01JBQ4Z8Y6W2N3XKPRS7TV5M9C']);
    crash.now?.();
    const restarted = await until(() => received.find((e) => e.name === 'engine:restarted'), 'engine:restarted');
    expect(restarted.payload).toEqual({ interrupted: ['01JBQ4Z8Y6W2N3XKPRS7TV5M9C'] });
    await sup.shutdown(100);
  });
});
