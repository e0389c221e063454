// Stands in for Electron's main process in the Chromium e2e runs. The engine
// (the real AppService) runs in a forked child process under main's real
// EngineSupervisor (electron/main/engine-supervisor.ts): requests, timeouts,
// events, and the restart after a crash are the desktop app's own, so a test
// can SIGKILL the engine and watch the app recover. The main-only channels are
// answered here by main's own handlers (electron/main/main-handlers.ts) over the
// real settings and key stores, with Electron's pieces replaced: settings kept
// in memory, no OS keyring, a queue of paths instead of the file dialog, and
// external links recorded.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileGrants } from '../../../electron/main/file-grants.ts';
import { EngineSupervisor, type EngineProcess } from '../../../electron/main/engine-supervisor.ts';
import { KeyStore, type SafeStorageLike } from '../../../electron/main/key-store.ts';
import { createMainHandlers, type MainHandlers } from '../../../electron/main/main-handlers.ts';
import type { ServiceConfig } from '../../../electron/service/types.ts';
import { SettingsStore, type SettingsBackendFactory } from '../../../electron/main/settings-store.ts';
import { CHANNEL_NAMES, channels, events, type EngineChannelName, type EventName, type EventPayload, type MainChannelName, type ParsedRequestOf, type ResponseOf } from '../../../shared/ipc/index.ts';
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
  /** Paths the next "Add documents…" (or "Import session…") returns, as if the user picked them in the dialog. */
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
  readonly #supervisor: EngineSupervisor;
  /** The engine process the supervisor runs now (it starts a new one after a crash). */
  #child: ChildProcess | null = null;
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
      pickSessionFile: async () => this.pickQueue.shift() ?? [],
      files: new FileGrants(),
      writeClipboard: () => undefined,
      onSettingsChanged: (next) => {
        this.#forward('settings:changed', next);
        void this.#configure();
      },
      onKeysChanged: () => void this.#configure(),
    });
    this.#supervisor = new EngineSupervisor({
      spawn: () => this.#fork(),
      config: () => this.#config(),
      onEvent: (name, payload) => this.#fromEngine(name, payload),
      autoResume: () => this.settings.get().autoResume,
      log: (line) => {
        if (process.env.CAIRN_E2E_DEBUG) process.stderr.write(`${line}\n`);
      },
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
  }

  get pid(): number | null {
    return this.#supervisor.pid ?? null;
  }

  /** What the supervisor is doing: 'ready', 'restarting' after a crash, … */
  get engineState(): string {
    return this.#supervisor.state;
  }

  /** Starts the engine (or, after a crash, waits for the supervisor's restart) and waits until it answers. */
  async start(): Promise<void> {
    try {
      await this.#supervisor.start();
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${this.#stderr}`, { cause: err });
    }
  }

  /** Ends the engine the way a crash would: SIGKILL, no shutdown, no checkpointing of streams. The supervisor restarts it. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Asks the engine to checkpoint and stop, as quitting the app does. */
  async stop(): Promise<void> {
    await this.#supervisor.shutdown(20_000);
  }

  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Handlers for the page bridge: every channel of the contract. */
  handlers(): BridgeHandlers {
    const out: Record<string, (req: unknown) => Promise<unknown>> = {};
    for (const name of CHANNEL_NAMES) {
      if (channels[name].owner === 'main') out[name] = (req) => this.#callMain(name as MainChannelName, req);
      else if (name === 'sessions:export') out[name] = (req) => this.#export(req as ParsedRequestOf<'sessions:export'>);
      else out[name] = (req) => this.request(name as EngineChannelName, req as ParsedRequestOf<EngineChannelName>);
    }
    return out as BridgeHandlers;
  }

  /** A request to the engine, through the supervisor, as main forwards one. */
  async request<C extends EngineChannelName>(channel: C, request: ParsedRequestOf<C>): Promise<ResponseOf<C>> {
    return (await this.#supervisor.request(channel, request)) as ResponseOf<C>;
  }

  async close(): Promise<void> {
    await this.stop();
    this.#listeners.clear();
  }

  #callMain(name: MainChannelName, request: unknown): Promise<unknown> {
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

  /** One engine process: the e2e engine entry, forked on Node (the app uses Electron's utilityProcess). */
  #fork(): EngineProcess {
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
    child.stderr?.on('data', (b: Buffer) => {
      this.#stderr = (this.#stderr + b.toString('utf8')).slice(-8_000);
      if (process.env.CAIRN_E2E_DEBUG) process.stderr.write(b);
    });
    return {
      pid: child.pid,
      postMessage: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => child.kill('SIGKILL'),
    };
  }

  async #config(): Promise<ServiceConfig> {
    const { keys, headers } = await this.keys.decryptAll();
    return { settings: { ...this.settings.get(), dataDir: this.dataDir }, keys, headers };
  }

  async #configure(): Promise<void> {
    if (this.#supervisor.state !== 'ready') return;
    this.#supervisor.configure(await this.#config());
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

