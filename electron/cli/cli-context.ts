// What every command needs: where the data lives, the settings shared with the
// desktop app, the store, and how to talk (NDJSON, a TTY, or plain lines).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { ProviderProfile, Session } from '../../shared/domain.ts';
import { SIMULATOR_PROVIDER_NAME, simulatorProfileAt } from '../../shared/providers.ts';
import type { Settings } from '../../shared/settings.ts';
import { defaultDataDir, resolveDataDir } from '../store/data-dir.ts';
import type { PriceTable } from '../engine/pricing.ts';
import type { Simulator } from '../engine/simulator/index.ts';
import { CheckpointStore } from '../store/checkpoint-store.ts';
import { loadSettings, type LoadedSettings } from './cli-settings.ts';
import { CliError } from './cli-error.ts';
import { Style, useColor } from './cli-style.ts';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  debug?: boolean;
  /** --no-color sets it to false. */
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** stdout is a terminal. */
  isTTY: boolean;
  /** stderr is a terminal. */
  errIsTTY?: boolean;
  /** The terminal's width, when stdout is one. */
  columns?: () => number;
  env?: Record<string, string | undefined>;
  /** stdin is a terminal: a person can be asked. */
  canAsk: boolean;
  /** Asks on the terminal (the question goes to stderr) and resolves with the answer, '' at end of input. */
  ask: (question: string) => Promise<string>;
}

async function askOnTerminal(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
    return (await Promise.race([rl.question(question), closed])).trim();
  } finally {
    rl.close();
  }
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
  errIsTTY: Boolean(process.stderr.isTTY),
  columns: () => process.stdout.columns || 80,
  env: process.env,
  canAsk: Boolean(process.stdin.isTTY),
  ask: askOnTerminal,
};

export class CliContext {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Colours for stdout and for stderr. */
  readonly style: Style;
  readonly errStyle: Style;
  readonly io: CliIo;
  readonly settingsDir: string;
  readonly loaded: LoadedSettings;
  readonly dataDir: string;
  readonly owner = `cli-${process.pid}-${randomBytes(4).toString('hex')}`;
  #store: CheckpointStore | null = null;
  #simulator: Simulator | null = null;

  constructor(opts: GlobalOptions, io: CliIo = processIo) {
    this.json = Boolean(opts.json);
    this.quiet = Boolean(opts.quiet);
    this.verbose = Boolean(opts.verbose);
    this.io = io;
    const env = io.env ?? {};
    this.style = new Style(!this.json && useColor({ noColorFlag: opts.color === false, env, isTTY: io.isTTY }));
    this.errStyle = new Style(useColor({ noColorFlag: opts.color === false, env, isTTY: Boolean(io.errIsTTY) }));
    if (opts.dataDir !== undefined && (opts.dataDir.trim() === '' || opts.dataDir.includes('\0'))) {
      throw new CliError(2, 'invalid_input', 'The --data-dir value is empty or not a valid path.');
    }
    // --data-dir works like CAIRN_DATA_DIR: settings and sessions both live there.
    this.settingsDir = opts.dataDir ? resolve(opts.dataDir) : defaultDataDir();
    this.loaded = loadSettings(this.settingsDir);
    if (this.loaded.warning) this.warn(this.loaded.warning);
    this.dataDir = opts.dataDir ? resolve(opts.dataDir) : resolveDataDir(this.loaded.settings.dataDir);
  }

  get settings(): Settings {
    return this.loaded.settings;
  }

  // The tokenizer, the model client and the simulator load only for commands that call a model:
  // `show`, `sessions` or `timeline` start in a fraction of the time.
  async prices(): Promise<PriceTable> {
    const { PriceTable } = await import('../engine/pricing.ts');
    return new PriceTable(this.settings.prices);
  }

  store(): CheckpointStore {
    if (!this.#store) {
      this.#store = CheckpointStore.open({ dataDir: this.dataDir, appVersion: APP_VERSION });
      const readOnly = this.#store.readOnly;
      if (readOnly) this.warn(`Cairn opened ${this.dataDir} read-only: ${readOnly.message} Its sessions can be read; commands that change them will refuse.`);
      const loss = this.#store.commitLoss;
      if (loss) this.warn(`${loss.reason.message} ${loss.reason.hint}`);
      this.#store.recoverInterrupted();
    }
    return this.#store;
  }

  /** The built-in simulator, started on first use on a free local port. */
  async simulator(): Promise<Simulator> {
    const { startSimulator } = await import('../engine/simulator/index.ts');
    if (!this.#simulator) this.#simulator = await startSimulator({ words: 90, tokensPerSecond: Number(process.env.CAIRN_SIMULATOR_SPEED ?? 400) });
    return this.#simulator;
  }

  simulatorProfile(sim: Simulator): ProviderProfile {
    return simulatorProfileAt(sim.baseURL);
  }

  /**
   * A session on the built-in simulator names a port of a process that has
   * ended; resume and ask start a new one. A simulator the user runs
   * (`--base-url … --model cairn-simulator`) keeps its address.
   */
  async refreshBuiltInSimulator(session: Session): Promise<Session> {
    const p = session.config.provider;
    if (!p.simulator || p.name !== SIMULATOR_PROVIDER_NAME) return session;
    const sim = await this.simulator();
    return this.store().updateSession(session.id, { config: { ...session.config, provider: this.simulatorProfile(sim) } });
  }

  print(text: string): void {
    this.io.out(text.endsWith('\n') ? text : text + '\n');
  }

  emitJson(value: unknown): void {
    this.io.out(JSON.stringify(value) + '\n');
  }

  warn(text: string): void {
    if (this.json) this.io.out(JSON.stringify({ type: 'warning', message: text }) + '\n');
    else this.io.err(`${this.errStyle.warn('warning:')} ${text}\n`);
  }

  async close(): Promise<void> {
    this.#store?.close();
    this.#store = null;
    await this.#simulator?.close();
    this.#simulator = null;
  }
}

export const APP_VERSION = '0.1.0';
