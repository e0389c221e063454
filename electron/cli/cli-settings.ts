// The settings file the desktop app keeps (config.json in the data directory),
// read and written by the CLI so both see the same providers, prices and
// policies. A file that cannot be read is never overwritten: the CLI says so
// and works from defaults for this run only.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SettingsSchema, type Settings } from '../../shared/settings.ts';
import { SETTINGS_FILE_NAME } from '../store/data-dir.ts';
import { writeFileAtomic } from '../store/fs-safe.ts';
import { CliError } from './cli-error.ts';

export interface LoadedSettings {
  settings: Settings;
  file: string;
  /** Why the file could not be used, when it could not. */
  problem: string | null;
}

export function settingsFile(dir: string): string {
  return join(dir, SETTINGS_FILE_NAME);
}

export function loadSettings(dir: string): LoadedSettings {
  const file = settingsFile(dir);
  const defaults = SettingsSchema.parse({});
  if (!existsSync(file)) return { settings: defaults, file, problem: null };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { settings: defaults, file, problem: `${file} is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  // electron-store keeps other keys (window bounds) beside ours; only ours are checked.
  const obj = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const known = Object.fromEntries(Object.entries(obj).filter(([k]) => k in SettingsSchema.shape));
  const parsed = SettingsSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { settings: defaults, file, problem: `${file} does not match Cairn's settings (${issue?.path.join('.') || 'root'}: ${issue?.message})` };
  }
  return { settings: parsed.data, file, problem: null };
}

/** Writes the settings atomically, keeping keys other programs stored beside ours. */
export function saveSettings(loaded: LoadedSettings, next: Settings): void {
  if (loaded.problem) {
    throw new CliError(3, 'settings_damaged', `Not saving: ${loaded.problem}.`, 'Fix the file or move it aside; Cairn never overwrites settings it cannot read.');
  }
  const checked = SettingsSchema.parse(next);
  let others: Record<string, unknown> = {};
  if (existsSync(loaded.file)) {
    const raw = JSON.parse(readFileSync(loaded.file, 'utf8')) as unknown;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) others = raw as Record<string, unknown>;
  }
  mkdirSync(dirname(loaded.file), { recursive: true });
  writeFileAtomic(loaded.file, JSON.stringify({ ...others, ...checked }, null, 2) + '\n', 0o600);
}
