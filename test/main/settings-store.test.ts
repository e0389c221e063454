import Conf from 'conf';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SettingsStore, type SettingsBackendFactory } from '../../electron/main/settings-store.ts';
import { defaultSettings } from '../../electron/store/settings-file.ts';
import type { Settings } from '../../shared/settings.ts';

// electron-store is `conf` plus Electron's default folder; conf itself runs under plain Node.
const confBackend: SettingsBackendFactory = ({ cwd, name, defaults }) =>
  new Conf<Settings>({ cwd, configName: name, defaults, clearInvalidConfig: false, watch: false, projectName: 'cairn-test' });

let dir: string;
let logs: string[];
const NOW = new Date('2026-11-27T12:34:56.789Z');
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-settings-'));
  logs = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = () => new SettingsStore({ dir, createBackend: confBackend, now: () => NOW, log: (l) => logs.push(l) });
const file = () => path.join(dir, 'config.json');
const kept = () => path.join(dir, 'config.json.corrupt-2026-11-27T12-34-56-789Z');

describe('settings store', () => {
  test('a fresh start writes defaults and reports nothing', () => {
    const s = open();
    expect(s.warning).toBeNull();
    expect(s.get()).toEqual(defaultSettings());
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toMatchObject({ schemaVersion: 1, theme: 'system' });
  });

  test('changes persist and are validated', () => {
    open().update({ theme: 'dark', autoResume: true });
    const again = open();
    expect(again.get()).toMatchObject({ theme: 'dark', autoResume: true });
    expect(() => again.update({ checkpointIntervalMs: 1 })).toThrow();
    expect(open().get().checkpointIntervalMs).toBe(250);
  });

  test('a corrupted file is kept aside byte for byte and reported, never silently reset', () => {
    const garbage = '{"theme":"dark","providers":[{"name":"Work"'; // a power cut mid-write
    fs.writeFileSync(file(), garbage);
    const s = open();
    expect(fs.readFileSync(kept(), 'utf8')).toBe(garbage);
    expect(s.warning).toMatch(/not valid JSON/);
    expect(s.warning).toContain('config.json.corrupt-2026-11-27T12-34-56-789Z');
    expect(s.warning).toMatch(/started with default settings/);
    expect(s.get()).toEqual(defaultSettings());
    expect(logs.some((l) => l.includes('could not be used'))).toBe(true);
  });

  test('a file that fails the schema is kept aside and reported the same way', () => {
    const wrong = JSON.stringify({ schemaVersion: 1, theme: 'purple', providers: [] });
    fs.writeFileSync(file(), wrong);
    const s = open();
    expect(fs.readFileSync(kept(), 'utf8')).toBe(wrong);
    expect(s.warning).toMatch(/does not match the settings format at "theme"/);
  });

  test('an array or a number is not a settings file', () => {
    fs.writeFileSync(file(), '[1,2,3]');
    expect(open().warning).toMatch(/does not contain a settings object/);
    expect(fs.existsSync(kept())).toBe(true);
  });

  test('a file from a newer Cairn is left untouched and changes are refused, not written over it', () => {
    const newer = JSON.stringify({ schemaVersion: 7, theme: 'dark', someNewThing: true });
    fs.writeFileSync(file(), newer);
    const s = open();
    expect(s.persistent).toBe(false);
    expect(s.warning).toMatch(/newer version of Cairn/);
    expect(() => s.update({ theme: 'light' })).toThrow(/cannot be saved/);
    expect(fs.readFileSync(file(), 'utf8')).toBe(newer);
  });

  test('a file without a version is migrated, and the original is kept', () => {
    const old = JSON.stringify({ theme: 'light', autoResume: true });
    fs.writeFileSync(file(), old);
    const s = open();
    expect(s.warning).toBeNull();
    expect(s.get()).toMatchObject({ schemaVersion: 1, theme: 'light', autoResume: true });
    expect(fs.readFileSync(path.join(dir, 'config.json.pre-migration-v0'), 'utf8')).toBe(old);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toMatchObject({ schemaVersion: 1, theme: 'light' });
  });

  test('listeners hear saved changes', () => {
    const s = open();
    const seen: string[] = [];
    s.onChange((next) => seen.push(next.theme));
    s.update({ theme: 'dark' });
    expect(seen).toEqual(['dark']);
  });
});
