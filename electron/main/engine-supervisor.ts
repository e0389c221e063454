// Main's side of the engine process: it spawns the engine (an Electron
// utilityProcess in the app, a forked Node child in tests), correlates
// requests and responses with timeouts, forwards events, and when the engine
// dies restarts it with backoff. Requests in flight are rejected with a typed
// `engine_restarted` error; the sessions that were running are announced with
// `engine:restarted` (the new engine has marked them interrupted through the
// store's recoverInterrupted) and resumed when the autoResume setting is on.
import { z } from 'zod';
import { IpcFailure } from '../service/ipc-errors.ts';
import type { ServiceConfig, ToEngine } from '../service/types.ts';
import { SessionStatusSchema } from '../../shared/domain.ts';
import { engineTimeoutMs, EVENT_NAMES, type EngineChannelName, type EventName } from '../../shared/ipc/index.ts';
import { isActive } from '../../shared/session-state.ts';

/** One engine process, whatever runs it. */
export interface EngineProcess {
  readonly pid: number | undefined;
  postMessage(message: ToEngine): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}
export type EngineFactory = () => EngineProcess;

const ErrorShape = z.object({ code: z.string().max(64), message: z.string().max(4_000), hint: z.string().max(1_000).optional() });
const FromEngineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.boolean(), value: z.unknown().optional(), error: ErrorShape.optional() }),
  z.object({ type: z.literal('event'), name: z.enum(EVENT_NAMES as [EventName, ...EventName[]]), payload: z.unknown() }),
  z.object({ type: z.literal('keys-needed') }),
  z.object({ type: z.literal('shutdown-complete') }),
]);
const SessionLike = z.object({ id: z.string(), status: SessionStatusSchema, retryAt: z.string().nullable().optional() });

export type SupervisorState = 'idle' | 'starting' | 'ready' | 'restarting' | 'stopping' | 'stopped' | 'failed';

export interface SupervisorOptions {
  spawn: EngineFactory;
  /** Called on every (re)start: settings and decrypted keys for the engine. */
  config: () => Promise<ServiceConfig> | ServiceConfig;
  onEvent: (name: EventName, payload: unknown) => void;
  /** The engine needs the stored keys (a provider is about to use one); main decrypts them and calls `configure`. */
  onKeysNeeded?: () => void;
  autoResume: () => boolean;
  log?: (line: string) => void;
  timeoutFor?: (channel: EngineChannelName) => number;
  readyTimeoutMs?: number;
  backoff?: { baseMs: number; capMs: number };
  /** Crashes within `crashWindowMs` after which the supervisor stops retrying. */
  maxCrashes?: number;
  crashWindowMs?: number;
}

interface Pending {
  channel: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class EngineSupervisor {
  readonly #opts: Required<Omit<SupervisorOptions, 'log' | 'timeoutFor' | 'onKeysNeeded'>> & Pick<SupervisorOptions, 'onKeysNeeded'> & { log: (line: string) => void; timeoutFor: (channel: EngineChannelName) => number };
  #proc: EngineProcess | null = null;
  #generation = 0;
  #state: SupervisorState = 'idle';
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #waitingForReady: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  #running = new Set<string>();
  #crashes: number[] = [];
  #restartTimer: ReturnType<typeof setTimeout> | null = null;
  #readyTimer: ReturnType<typeof setTimeout> | null = null;
  #interruptedByCrash: string[] | null = null;
  #shutdownDone: (() => void) | null = null;
  #exited: (() => void) | null = null;
  restarts = 0;

  constructor(opts: SupervisorOptions) {
    this.#opts = {
      readyTimeoutMs: 20_000,
      backoff: { baseMs: 250, capMs: 30_000 },
      maxCrashes: 5,
      crashWindowMs: 60_000,
      ...opts,
      log: opts.log ?? (() => undefined),
      timeoutFor: opts.timeoutFor ?? engineTimeoutMs,
    };
  }

  get state(): SupervisorState {
    return this.#state;
  }

  get pid(): number | undefined {
    return this.#proc?.pid;
  }

  /** Sessions the engine reported as live runs (`isActive`: running, or waiting for a retry time). */
  running(): string[] {
    return [...this.#running];
  }

  start(): Promise<void> {
    if (this.#state === 'idle' || this.#state === 'stopped') this.#spawn();
    return this.whenReady();
  }

  whenReady(): Promise<void> {
    if (this.#state === 'ready') return Promise.resolve();
    if (this.#state === 'failed') return Promise.reject(this.#unavailable());
    if (this.#state === 'stopping' || this.#state === 'stopped') return Promise.reject(this.#stopping());
    return new Promise((resolve, reject) => this.#waitingForReady.push({ resolve, reject }));
  }

  async request(channel: EngineChannelName, request: unknown): Promise<unknown> {
    const timeoutMs = this.#opts.timeoutFor(channel);
    const deadline = Date.now() + timeoutMs;
    await withTimeout(this.whenReady(), timeoutMs, () => this.#timeout(channel, timeoutMs));
    const proc = this.#proc;
    if (!proc || this.#state !== 'ready') throw this.#unavailable();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(this.#timeout(channel, timeoutMs));
      }, Math.max(0, deadline - Date.now()));
      this.#pending.set(id, { channel, resolve, reject, timer });
      try {
        proc.postMessage({ type: 'request', id, channel, request });
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(new IpcFailure('engine_unavailable', `The engine could not be reached (${(err as Error).message}).`, 'It is being restarted; try again in a moment.'));
      }
    });
  }

  /** Sends new settings or keys to the running engine (the next start asks `config` again). */
  configure(config: ServiceConfig): void {
    if (this.#proc && this.#state === 'ready') this.#proc.postMessage({ type: 'configure', config });
  }

  /** Asks the engine to checkpoint every stream and release its leases; kills it after `timeoutMs`. */
  async shutdown(timeoutMs = 10_000): Promise<{ clean: boolean }> {
    this.#clearTimers();
    const proc = this.#proc;
    const wasReady = this.#state === 'ready';
    this.#state = 'stopping';
    this.#failWaiters(this.#stopping());
    if (!proc) {
      this.#state = 'stopped';
      return { clean: true };
    }
    let clean = false;
    if (wasReady) {
      const completed = new Promise<void>((resolve) => {
        this.#shutdownDone = resolve;
      });
      const exited = new Promise<void>((resolve) => {
        this.#exited = resolve;
      });
      try {
        proc.postMessage({ type: 'shutdown' });
        clean = await Promise.race([completed.then(() => true), exited.then(() => false), delay(timeoutMs).then(() => false)]);
      } catch {
        clean = false;
      }
      if (clean) await Promise.race([exited, delay(1_000)]);
    }
    if (this.#proc === proc) {
      proc.kill();
      this.#proc = null;
    }
    this.#rejectPending(this.#stopping());
    this.#state = 'stopped';
    this.#opts.log(`engine: shut down ${clean ? 'cleanly' : 'without confirmation (timed out or exited)'}`);
    return { clean };
  }

  #spawn(): void {
    const generation = ++this.#generation;
    this.#state = this.#interruptedByCrash ? 'restarting' : 'starting';
    let proc: EngineProcess;
    try {
      proc = this.#opts.spawn();
    } catch (err) {
      this.#opts.log(`engine: could not start (${(err as Error).message})`);
      this.#onCrash(generation, null);
      return;
    }
    this.#proc = proc;
    proc.onMessage((message) => {
      if (generation === this.#generation) this.#onMessage(generation, message);
    });
    proc.onExit((code) => {
      if (generation === this.#generation) this.#onExit(generation, code);
    });
    this.#readyTimer = setTimeout(() => {
      if (generation !== this.#generation || this.#state === 'ready') return;
      this.#opts.log(`engine: not ready after ${this.#opts.readyTimeoutMs} ms; restarting it`);
      proc.kill();
    }, this.#opts.readyTimeoutMs);
  }

  #onMessage(generation: number, raw: unknown): void {
    const parsed = FromEngineSchema.safeParse(raw);
    if (!parsed.success) {
      this.#opts.log(`engine: ignored a message outside the protocol (${parsed.error.issues[0]?.message ?? 'wrong shape'} at ${parsed.error.issues[0]?.path.join('.') ?? ''})`);
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'ready':
        void this.#onReady(generation);
        return;
      case 'response': {
        const pending = this.#pending.get(msg.id);
        if (!pending) return; // timed out already
        this.#pending.delete(msg.id);
        clearTimeout(pending.timer);
        if (msg.ok) {
          // Not tracked: a reply can be older than the status events sent before it (a session created and
          // started at once is answered as created after the event that says it runs).
          pending.resolve(msg.value);
        } else {
          const error = msg.error ?? { code: 'internal', message: `The engine failed ${pending.channel} without saying why.` };
          pending.reject(new IpcFailure(error.code, error.message, error.hint));
        }
        return;
      }
      case 'event':
        if (msg.name === 'session:changed') this.#track(msg.payload);
        this.#opts.onEvent(msg.name, msg.payload);
        return;
      case 'keys-needed':
        this.#opts.onKeysNeeded?.();
        return;
      case 'shutdown-complete':
        this.#shutdownDone?.();
        return;
    }
  }

  async #onReady(generation: number): Promise<void> {
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    let config: ServiceConfig;
    try {
      config = await this.#opts.config();
    } catch (err) {
      this.#opts.log(`engine: could not prepare its configuration (${(err as Error).message})`);
      this.#proc?.kill();
      return;
    }
    if (generation !== this.#generation || !this.#proc) return;
    this.#proc.postMessage({ type: 'configure', config });
    this.#state = 'ready';
    const waiters = this.#waitingForReady.splice(0);
    for (const w of waiters) w.resolve();
    const interrupted = this.#interruptedByCrash;
    this.#interruptedByCrash = null;
    if (interrupted) {
      this.#opts.log(`engine: restarted; ${interrupted.length} session(s) were running`);
      this.#opts.onEvent('engine:restarted', { interrupted });
      if (interrupted.length && this.#opts.autoResume()) {
        for (const id of interrupted) {
          this.request('sessions:resume', { id }).catch((err: unknown) => this.#opts.log(`engine: could not resume ${id} (${(err as Error).message})`));
        }
      }
    }
  }

  #onExit(generation: number, code: number | null): void {
    this.#exited?.();
    if (this.#state === 'stopping' || this.#state === 'stopped') return;
    this.#opts.log(`engine: exited unexpectedly (code ${code ?? 'none'})`);
    this.#onCrash(generation, code);
  }

  #onCrash(_generation: number, _code: number | null): void {
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    this.#proc = null;
    // Everything that was running is now interrupted (the next engine's recoverInterrupted marks it so).
    const interrupted = [...new Set([...(this.#interruptedByCrash ?? []), ...this.#running])];
    this.#running.clear();
    this.#interruptedByCrash = interrupted;
    this.#rejectPending(new IpcFailure('engine_restarted', 'The engine stopped unexpectedly while working on this request and has been restarted.', 'Work up to the last checkpoint is safe. Resume the interrupted sessions or try again.'));
    const now = Date.now();
    this.#crashes = [...this.#crashes.filter((t) => now - t < this.#opts.crashWindowMs), now];
    if (this.#crashes.length > this.#opts.maxCrashes) {
      this.#state = 'failed';
      this.#opts.log(`engine: crashed ${this.#crashes.length} times within ${this.#opts.crashWindowMs} ms; not restarting`);
      this.#failWaiters(this.#unavailable());
      return;
    }
    const { baseMs, capMs } = this.#opts.backoff;
    const wait = Math.min(capMs, baseMs * 2 ** (this.#crashes.length - 1));
    this.#state = 'restarting';
    this.restarts++;
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      if (this.#state === 'restarting') this.#spawn();
    }, wait);
  }

  #track(value: unknown): void {
    const s = SessionLike.safeParse(value);
    if (!s.success) return;
    if (isActive(s.data)) this.#running.add(s.data.id);
    else this.#running.delete(s.data.id);
  }

  #rejectPending(error: Error): void {
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      this.#pending.delete(id);
      p.reject(error);
    }
  }

  #failWaiters(error: Error): void {
    for (const w of this.#waitingForReady.splice(0)) w.reject(error);
  }

  #clearTimers(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    this.#restartTimer = null;
    this.#readyTimer = null;
  }

  #timeout(channel: string, ms: number): IpcFailure {
    return new IpcFailure('engine_timeout', `The engine did not answer ${channel} within ${Math.round(ms / 1000)} s.`, 'Your work is safe. Try again; if it keeps happening, restart Cairn.');
  }

  #unavailable(): IpcFailure {
    return new IpcFailure('engine_unavailable', 'The engine keeps stopping and Cairn has given up restarting it.', 'Your work up to the last checkpoint is safe. Restart Cairn; if it happens again, check logs/cairn.log in the data folder (Settings → General → Copy diagnostics).');
  }

  #stopping(): IpcFailure {
    return new IpcFailure('engine_stopping', 'Cairn is shutting down the engine.', 'Start Cairn again to continue.');
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(error()), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Asks before quitting with running sessions, then shuts the engine down so every stream is checkpointed. */
export async function quitGracefully(opts: {
  running: string[];
  confirm: (count: number) => Promise<boolean>;
  shutdown: () => Promise<{ clean: boolean }>;
}): Promise<'cancelled' | 'clean' | 'forced'> {
  if (opts.running.length > 0 && !(await opts.confirm(opts.running.length))) return 'cancelled';
  const { clean } = await opts.shutdown();
  return clean ? 'clean' : 'forced';
}
