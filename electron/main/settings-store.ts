// User settings on disk (config.json in the data directory), persisted with
// electron-store. electron-store on its own would answer an unreadable file
// with `{}` and write that back, so the file is first read, migrated or moved
// aside by store/settings-file.ts (the loader the CLI uses too), and only then
// handed to electron-store.
import path from 'node:path';
import { SETTINGS_FILE_NAME } from '../store/data-dir.ts';
import { IpcFailure } from '../service/ipc-errors.ts';
import { SettingsPatchSchema, SettingsSchema, type Settings, type SettingsPatch } from '../../shared/settings.ts';
import { ensurePrivateDir, makePrivate } from '../store/fs-safe.ts';
import { describeZod, keepPreMigrationCopy, loadSettingsFile, SETTINGS_VERSION, warningFor, type LoadOutcome } from '../store/settings-file.ts';

export const SETTINGS_STORE_NAME = 'config';

/** What electron-store offers that we use: the whole object, read and written at once. */
export interface SettingsBackend {
  store: Settings;
}
export type SettingsBackendFactory = (options: { cwd: string; name: string; defaults: Settings }) => SettingsBackend;

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
      const backup = keepPreMigrationCopy(this.file, this.outcome.migratedFrom);
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
