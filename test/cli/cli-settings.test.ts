// The CLI reads config.json the app's way (store/settings-file.ts): an old file
// is migrated (its old form kept), a damaged one moved aside and reported, a
// newer one never written.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadSettings, saveSettings } from '../../electron/cli/cli-settings.ts';
import { SETTINGS_VERSION } from '../../electron/store/settings-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-cli-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (): string => join(dir, 'config.json');

describe("the CLI's settings", () => {
  test('a file from before settings had a version is migrated, and its old form kept when first saved', () => {
    writeFileSync(file(), JSON.stringify({ theme: 'dark' }));
    const loaded = loadSettings(dir);
    expect(loaded.warning).toBeNull();
    expect(loaded.settings.theme).toBe('dark');
    expect(loaded.outcome).toMatchObject({ kind: 'ok', migratedFrom: 0 });
    saveSettings(loaded, { ...loaded.settings, theme: 'light' });
    const saved = JSON.parse(readFileSync(file(), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ theme: 'light', schemaVersion: SETTINGS_VERSION });
    expect(JSON.parse(readFileSync(`${file()}.pre-migration-v0`, 'utf8'))).toEqual({ theme: 'dark' });
  });

  test('a damaged file is moved aside and reported, as the app does', () => {
    writeFileSync(file(), '{ "theme": ');
    const loaded = loadSettings(dir);
    expect(loaded.outcome.kind).toBe('quarantined');
    expect(loaded.warning).toMatch(/could not be used: it is not valid JSON/);
    expect(existsSync(file())).toBe(false);
    const kept = readdirSync(dir).filter((n) => n.startsWith('config.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe('{ "theme": ');
  });

  test('a file from a newer Cairn is used as defaults and never written', () => {
    const newer = JSON.stringify({ schemaVersion: SETTINGS_VERSION + 1, theme: 'dark' });
    writeFileSync(file(), newer);
    const loaded = loadSettings(dir);
    expect(loaded.outcome.kind).toBe('read-only');
    expect(loaded.warning).toMatch(/newer version of Cairn/);
    expect(() => saveSettings(loaded, loaded.settings)).toThrow(/Not saving/);
    expect(readFileSync(file(), 'utf8')).toBe(newer);
  });
});
