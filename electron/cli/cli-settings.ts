// The settings file the desktop app keeps (config.json in the data directory),
// read and written by the CLI so both see the same providers, prices and
// policies. It is loaded the app's way (store/settings-file.ts): migrated
// forward, and moved aside and reported when it cannot be used. A file written
// by a newer Cairn is never overwritten: the CLI works from defaults for this run.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SettingsSchema, type Settings } from '../../shared/settings.ts';
import { SETTINGS_FILE_NAME } from '../store/data-dir.ts';
import { writeFileAtomic } from '../store/fs-safe.ts';
import { keepPreMigrationCopy, loadSettingsFile, warningFor, type LoadOutcome } from '../store/settings-file.ts';
import { CliError } from './cli-error.ts';

export interface LoadedSettings {
  settings: Settings;
  file: string;
  outcome: LoadOutcome;
  /** What the user should know about the file (moved aside, or not writable), when anything. */
  warning: string | null;
}

export function settingsFile(dir: string): string {
  return join(dir, SETTINGS_FILE_NAME);
}

export function loadSettings(dir: string): LoadedSettings {
  const file = settingsFile(dir);
  const outcome = loadSettingsFile(file);
  return { settings: outcome.settings, file, outcome, warning: warningFor(outcome, file) };
}

/** Writes the settings atomically, keeping electron-store's own bookkeeping beside ours. */
export function saveSettings(loaded: LoadedSettings, next: Settings): void {
  if (loaded.outcome.kind === 'read-only') {
    throw new CliError(3, 'settings_damaged', `Not saving: ${loaded.outcome.problem}.`, 'Fix the file or move it aside; Cairn never overwrites settings it cannot read.');
  }
  if (loaded.outcome.kind === 'ok' && loaded.outcome.migratedFrom !== null) keepPreMigrationCopy(loaded.file, loaded.outcome.migratedFrom);
  const checked = SettingsSchema.parse(next);
  let others: Record<string, unknown> = {};
  if (existsSync(loaded.file)) {
    const raw = JSON.parse(readFileSync(loaded.file, 'utf8')) as unknown;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) others = raw as Record<string, unknown>;
  }
  mkdirSync(dirname(loaded.file), { recursive: true });
  writeFileAtomic(loaded.file, JSON.stringify({ ...others, ...checked }, null, 2) + '\n', 0o600);
}
