// User settings on disk (config.json in the data directory), persisted with
// electron-store. electron-store on its own would answer an unreadable file
// with `{}` and write that back (the behaviour users of other apps lost their
// configuration to), so the file is read and checked here first: anything that
// is not valid JSON of the SettingsSchema is moved aside as
// `config.json.corrupt-<time>` and reported, and only then does the app start
// from defaults. Schema versions are migrated forward here as well.
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS_FILE_NAME } from '../store/data-dir.ts';
import { IpcFailure } from '../service/ipc-errors.ts';
import { SettingsPatchSchema, SettingsSchema, type Settings, type SettingsPatch } from '../../shared/settings.ts';
import { ensurePrivateDir, makePrivate } from '../store/fs-safe.ts';
import { fileStamp } from '../store/paths.ts';

export const SETTINGS_VERSION = 1;
export const SETTINGS_STORE_NAME = 'config';
/** electron-store's (conf's) bookkeeping key; not ours to validate. */
const CONF_INTERNAL_KEY = '__internal__';

/** What electron-store offers that we use: the whole object, read and written at once. */
export interface SettingsBackend {
  store: Settings;
}
export type SettingsBackendFactory = (options: { cwd: string; name: string; defaults: Settings }) => SettingsBackend;

type RawSettings = Record<string, unknown>;
/** `MIGRATIONS[n]` turns a version-n object into version n+1. */
const MIGRATIONS: Record<number, (raw: RawSettings) => RawSettings> = {
  // Files written before settings carried a version: same keys, now versioned.
  0: (raw) => ({ ...raw, schemaVersion: 1 }),
};

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

export type LoadOutcome =
  | { kind: 'missing'; settings: Settings }
  | { kind: 'ok'; settings: Settings; migratedFrom: number | null }
  | { kind: 'quarantined'; settings: Settings; movedTo: string; problem: string }
  /** Could not be moved aside, or written by a newer Cairn: use defaults in memory and never write the file. */
  | { kind: 'read-only'; settings: Settings; problem: string };

function versionOf(raw: RawSettings): number | null {
  const v = raw.schemaVersion;
  if (v === undefined) return 0;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

function describeZod(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const first = issues[0];
  if (!first) return 'it does not match the settings format';
  const where = first.path.length ? ` at "${first.path.map(String).join('.')}"` : '';
  return `it does not match the settings format${where}: ${first.message}`;
}

/** Reads, migrates and validates a settings file without changing anything on disk. */
export function inspectSettingsFile(file: string): { kind: 'missing' } | { kind: 'ok'; settings: Settings; migratedFrom: number | null } | { kind: 'bad'; problem: string; unreadable: boolean } | { kind: 'newer'; version: number } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'bad', problem: `it could not be read (${code ?? (err as Error).message})`, unreadable: true };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { kind: 'bad', problem: `it is not valid JSON (${(err as Error).message})`, unreadable: false };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { kind: 'bad', problem: 'it does not contain a settings object', unreadable: false };
  let obj: RawSettings = { ...(raw as RawSettings) };
  delete obj[CONF_INTERNAL_KEY];
  const version = versionOf(obj);
  if (version === null) return { kind: 'bad', problem: 'its schemaVersion is not a number', unreadable: false };
  if (version > SETTINGS_VERSION) return { kind: 'newer', version };
  for (let v = version; v < SETTINGS_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) return { kind: 'bad', problem: `no migration from settings version ${v}`, unreadable: false };
    obj = step(obj);
  }
  const parsed = SettingsSchema.safeParse(obj);
  if (!parsed.success) return { kind: 'bad', problem: describeZod(parsed.error.issues), unreadable: false };
  return { kind: 'ok', settings: parsed.data, migratedFrom: version === SETTINGS_VERSION ? null : version };
}

/** Decides what to do with the file; moves a bad one aside. Never writes settings. */
export function loadSettingsFile(file: string, now: Date = new Date()): LoadOutcome {
  const seen = inspectSettingsFile(file);
  if (seen.kind === 'missing') return { kind: 'missing', settings: defaultSettings() };
  if (seen.kind === 'ok') return seen;
  if (seen.kind === 'newer') {
    return { kind: 'read-only', settings: defaultSettings(), problem: `it was written by a newer version of Cairn (settings version ${seen.version})` };
  }
  const movedTo = `${file}.corrupt-${fileStamp(now)}`;
  try {
    fs.renameSync(file, movedTo);
  } catch (err) {
    return { kind: 'read-only', settings: defaultSettings(), problem: `${seen.problem}, and it could not be moved aside (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  return { kind: 'quarantined', settings: defaultSettings(), movedTo, problem: seen.problem };
}

export function warningFor(outcome: LoadOutcome, file: string): string | null {
  if (outcome.kind === 'quarantined') {
    return `Your settings file could not be used: ${outcome.problem}. It was kept as ${path.basename(outcome.movedTo)} in ${path.dirname(outcome.movedTo)}, and Cairn started with default settings. Your sessions and stored keys are not affected; copy values back from the kept file if you need them.`;
  }
  if (outcome.kind === 'read-only') {
    return `Your settings file ${file} could not be used: ${outcome.problem}. Cairn is running with default settings and will not change that file; changes you make now are not saved.`;
  }
  return null;
}

export interface SettingsStoreOptions {
  dir: string;
  createBackend: SettingsBackendFactory;
  now?: () => Date;
  log?: (line: string) => void;
}

export class SettingsStore {
  readonly file: string;
  readonly warning: string | null;
  readonly outcome: LoadOutcome;
  #settings: Settings;
  #backend: SettingsBackend | null;
  #listeners = new Set<(settings: Settings) => void>();

  constructor(opts: SettingsStoreOptions) {
    const log = opts.log ?? (() => undefined);
    ensurePrivateDir(opts.dir);
    this.file = path.join(opts.dir, SETTINGS_FILE_NAME);
    this.outcome = loadSettingsFile(this.file, (opts.now ?? (() => new Date()))());
    this.warning = warningFor(this.outcome, this.file);
    if (this.warning) log(`settings: ${this.warning}`);
    this.#settings = this.outcome.settings;
    if (this.outcome.kind === 'read-only') {
      this.#backend = null;
      return;
    }
    if (this.outcome.kind === 'ok' && this.outcome.migratedFrom !== null) {
      const backup = `${this.file}.pre-migration-v${this.outcome.migratedFrom}`;
      if (!fs.existsSync(backup)) fs.copyFileSync(this.file, backup);
      log(`settings: migrating from version ${this.outcome.migratedFrom} to ${SETTINGS_VERSION} (previous file kept as ${path.basename(backup)})`);
    }
    // The file is now either absent or known good, so electron-store reads exactly what we checked.
    this.#backend = opts.createBackend({ cwd: opts.dir, name: SETTINGS_STORE_NAME, defaults: this.#settings });
    // What we validated (and migrated) is what is written back, normalised with its defaults.
    this.#backend.store = this.#settings;
    makePrivate(this.file);
  }

  get(): Settings {
    return structuredClone(this.#settings);
  }

  get persistent(): boolean {
    return this.#backend !== null;
  }

  update(patch: SettingsPatch): Settings {
    const checkedPatch = SettingsPatchSchema.parse(patch);
    const next = SettingsSchema.safeParse({ ...this.#settings, ...checkedPatch });
    if (!next.success) throw new IpcFailure('invalid_settings', `These settings cannot be saved: ${describeZod(next.error.issues)}.`);
    if (!this.#backend) {
      throw new IpcFailure('settings_read_only', 'Settings cannot be saved in this session.', this.warning ?? undefined);
    }
    this.#backend.store = next.data;
    makePrivate(this.file);
    this.#settings = next.data;
    for (const fn of this.#listeners) fn(this.get());
    return this.get();
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
