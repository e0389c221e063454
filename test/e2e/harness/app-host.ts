// Stands in for Electron's main process in the Chromium e2e runs. The engine
// (the real AppService) runs in a forked child process that a test can
// SIGKILL; the main-only channels are answered here by main's own handlers
import { FileGrants } from '../../../electron/file-grants.ts';
// (electron/main-handlers.ts) over the real settings and key stores, with
// Electron's pieces replaced: settings kept in memory, no OS keyring, a queue
// of paths instead of the file dialog, and external links recorded.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyStore, type SafeStorageLike } from '../../../electron/key-store.ts';
import { createMainHandlers, type MainHandlers } from '../../../electron/main-handlers.ts';
import { MAIN_ONLY_CHANNELS, type FromEngine, type MainOnlyChannel, type ServiceChannel, type ServiceConfig, type ToEngine } from '../../../electron/service/types.ts';
import { SettingsStore, type SettingsBackendFactory } from '../../../electron/settings-store.ts';
import { CHANNEL_NAMES, events, type EventName, type EventPayload, type ParsedRequestOf, type ResponseOf } from '../../../shared/ipc/index.ts';
import type { SettingsPatch } from '../../../shared/settings.ts';
import type { BridgeHandlers } from './bridge.ts';
import { ENGINE_OPTIONS_ENV, type EngineChildOptions } from './engine-child.ts';

const CHILD_ENTRY = join(import.meta.dirname, 'engine-child.ts');
const READY_TIMEOUT_MS = 30_000;

export interface AppHostOptions {
  /** Holds the engine's data directory (`data/`), settings and exports. Reused across restarts. */
  dir: string;
  simulator?: EngineChildOptions['simulator'];
  retry?: EngineChildOptions['retry'];
  /** Extra environment for the engine process (e.g. an API key variable a provider profile names). */
  env?: Record<string, string>;
  /** Settings the user has already saved. */
  settings?: SettingsPatch;
}

type Listener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** The error a request gets when the engine it waited on died, as the real supervisor reports it. */
class EngineGone extends Error {
  readonly code: string;
  readonly hint = 'Cairn restarted its engine. Try again.';
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

class EngineError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(error: { code: string; message: string; hint?: string }) {
    super(error.message);
    this.code = error.code;
    this.hint = error.hint;
  }
}

/** Electron's safeStorage on a Linux desktop without a keyring: encryption is not offered. */
const noKeyring: SafeStorageLike = {
  isAsyncEncryptionAvailable: async () => false,
  encryptStringAsync: async () => {
    throw new Error('no keyring');
  },
  decryptStringAsync: async () => {
    throw new Error('no keyring');
  },
  getSelectedStorageBackend: () => 'basic_text',
};

const memoryBackend: SettingsBackendFactory = ({ defaults }) => ({ store: defaults });

export class AppHost {
  readonly dataDir: string;
  readonly exportDir: string;
  readonly settings: SettingsStore;
  readonly keys: KeyStore;
  /** Paths the next "Add documents…" returns, as if the user picked them in the dialog. */
  readonly pickQueue: string[][] = [];
  /** URLs the page asked main to open in the OS browser. */
  readonly openedExternally: string[] = [];
  readonly confirmations: string[] = [];
  /** Events from the engine that did not match the contract (must stay empty). */
  readonly invalidEvents: Array<{ name: string; problem: string }> = [];
  /** Every event forwarded to the page, in order. */
  readonly eventLog: Array<{ name: EventName; payload: unknown; at: number }> = [];

  readonly #opts: AppHostOptions;
  readonly #main: MainHandlers;
  readonly #listeners = new Set<Listener>();
  #child: ChildProcess | null = null;
  #ready: Promise<void> | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #stderr = '';

  constructor(opts: AppHostOptions) {
    this.#opts = opts;
    this.dataDir = join(opts.dir, 'data');
    this.exportDir = join(opts.dir, 'exports');
    mkdirSync(this.exportDir, { recursive: true });
    this.settings = new SettingsStore({ dir: join(opts.dir, 'config'), createBackend: memoryBackend });
    if (opts.settings) this.settings.update(opts.settings);
    this.keys = new KeyStore({ file: join(opts.dir, 'config', 'keys.json'), safeStorage: noKeyring, platform: 'linux' });
    this.#main = createMainHandlers({
      settings: this.settings,
      keys: this.keys,
      appInfo: () => ({ version: '0.1.0', platform: process.platform, dataDir: this.dataDir }),
      openExternal: async (url) => {
        this.openedExternally.push(url);
      },
      // Main's native dialog: the harness answers yes and records what was asked.
      confirm: async (question) => {
        this.confirmations.push(question.message);
        return true;
      },
      pickDocuments: async () => this.pickQueue.shift() ?? [],
      files: new FileGrants(),
      writeClipboard: () => undefined,
      onSettingsChanged: (next) => {
        this.#forward('settings:changed', next);
        void this.#configure();
      },
      onKeysChanged: () => void this.#configure(),
    });
  }

  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  /** Forks the engine process on the data directory and waits until it answers. */
  async start(): Promise<void> {
    if (this.#child) throw new Error('The engine is already running.');
    const options: EngineChildOptions = {
      dataDir: this.dataDir,
      simulator: this.#opts.simulator ?? { tokensPerSecond: 200, words: 24 },
      retry: this.#opts.retry ?? { baseMs: 20, capMs: 200 },
    };
    const child = fork(CHILD_ENTRY, [], {
      execPath: process.execPath,
      execArgv: [],
      env: { ...process.env, ...this.#opts.env, [ENGINE_OPTIONS_ENV]: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.#child = child;
    this.#stderr = '';
    child.stderr?.on('data', (b: Buffer) => {
      this.#stderr = (this.#stderr + b.toString('utf8')).slice(-8_000);
      if (process.env.CAIRN_E2E_DEBUG) process.stderr.write(b);
    });
    let markReady: () => void = () => undefined;
    let failStart: (e: Error) => void = () => undefined;
    this.#ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    const timer = setTimeout(() => failStart(new Error(`The engine did not start within ${READY_TIMEOUT_MS} ms.\n${this.#stderr}`)), READY_TIMEOUT_MS);
    child.on('message', (raw: unknown) => {
      const m = raw as FromEngine;
      if (m.type === 'ready') {
        clearTimeout(timer);
        markReady();
      } else if (m.type === 'response') {
        const p = this.#pending.get(m.id);
        if (!p) return;
        this.#pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(new EngineError(m.error));
      } else if (m.type === 'event') {
        this.#fromEngine(m.name, m.payload);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (this.#child === child) this.#child = null;
      failStart(new Error(`The engine exited before it was ready (${signal ?? code}).\n${this.#stderr}`));
      for (const [id, p] of this.#pending) {
        this.#pending.delete(id);
        p.reject(new EngineGone('engine_restarted', 'The engine stopped while answering.'));
      }
    });
    await this.#ready;
    await this.#configure();
  }

  /** Ends the engine the way a crash would: SIGKILL, no shutdown, no checkpointing of streams. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Asks the engine to checkpoint and stop, as quitting the app does. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.#send({ type: 'shutdown' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Handlers for the page bridge: every channel of the contract. */
  handlers(): BridgeHandlers {
    const out: Record<string, (req: unknown) => Promise<unknown>> = {};
    const mainOnly = new Set<string>(MAIN_ONLY_CHANNELS);
    for (const name of CHANNEL_NAMES) {
      if (mainOnly.has(name)) out[name] = (req) => this.#callMain(name as MainOnlyChannel, req);
      else if (name === 'sessions:export') out[name] = (req) => this.#export(req as ParsedRequestOf<'sessions:export'>);
      else out[name] = (req) => this.request(name as ServiceChannel, req as ParsedRequestOf<ServiceChannel>);
    }
    return out as BridgeHandlers;
  }

  /** A request straight to the engine, as main forwards one. */
  async request<C extends ServiceChannel>(channel: C, request: ParsedRequestOf<C>): Promise<ResponseOf<C>> {
    if (!this.#child || !this.#ready) throw new EngineGone('engine_stopped', 'The engine is not running.');
    await this.#ready;
    const id = this.#nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#send({ type: 'request', id, channel, request });
    return (await reply) as ResponseOf<C>;
  }

  async close(): Promise<void> {
    await this.stop();
    this.#listeners.clear();
  }

  #callMain(name: MainOnlyChannel, request: unknown): Promise<unknown> {
    // Main's handlers take the sender's WebContents, which they do not use; there is none here.
    const handler = this.#main[name] as (req: unknown, sender: never) => unknown;
    return Promise.resolve(handler(request, undefined as never));
  }

  /** Main's part of an export: the engine renders, main writes the file the user chose. */
  async #export(req: ParsedRequestOf<'sessions:export'>): Promise<ResponseOf<'sessions:export'>> {
    const res = await this.request('sessions:export', req);
    if (!req.save) return res;
    const file = join(this.exportDir, `${req.id}.${req.format}`);
    writeFileSync(file, res.content);
    return { content: res.content, savedTo: file };
  }

  async #configure(): Promise<void> {
    if (!this.#child) return;
    const { keys, headers } = await this.keys.decryptAll();
    const config: ServiceConfig = { settings: { ...this.settings.get(), dataDir: this.dataDir }, keys, headers };
    this.#send({ type: 'configure', config });
  }

  #send(message: ToEngine): void {
    this.#child?.send(message);
  }

  /** Events cross into the page only if they match the contract, as the desktop shell's are. */
  #fromEngine(name: EventName, payload: unknown): void {
    const schema = events[name];
    if (!schema) {
      this.invalidEvents.push({ name, problem: 'unknown event' });
      return;
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      this.invalidEvents.push({ name, problem: parsed.error.message.slice(0, 500) });
      return;
    }
    this.#forward(name, parsed.data as EventPayload<typeof name>);
  }

  #forward<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.eventLog.push({ name, payload, at: Date.now() });
    for (const l of this.#listeners) l(name, payload);
  }
}

