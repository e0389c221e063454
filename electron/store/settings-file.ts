// The settings file (config.json in the data directory), read the one way the
// desktop app and the CLI share: checked against SettingsSchema, migrated
// forward from older schema versions, and, when it cannot be used, moved aside
// as `config.json.corrupt-<time>` and reported (never answered with `{}` and
// written back, which is how users of other apps lost their configuration). A
// file written by a newer Cairn is used as defaults in memory and never written.
// Plain Node: electron-store's persistence stays in main (settings-store.ts).
import fs from 'node:fs';
import path from 'node:path';
import { SettingsSchema, type Settings } from '../../shared/settings.ts';
import { fileStamp } from './paths.ts';

export const SETTINGS_VERSION = 1;
/** electron-store's (conf's) bookkeeping key; not ours to validate. */
const CONF_INTERNAL_KEY = '__internal__';

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

export function describeZod(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
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

/** Before a migrated file is first written back, its old form is kept beside it (once). */
export function keepPreMigrationCopy(file: string, fromVersion: number): string {
  const backup = `${file}.pre-migration-v${fromVersion}`;
  if (!fs.existsSync(backup)) fs.copyFileSync(file, backup);
  return backup;
}
