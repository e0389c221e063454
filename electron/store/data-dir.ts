// The per-user data directory, computed without Electron so the CLI (`cairn`)
// and the desktop app agree on where sessions live. The path is the one
// Electron's `app.getPath('appData')` + '/Cairn' gives on each OS;
// CAIRN_DATA_DIR overrides it for both (tests, portable setups). Which folder
// to use is chosen here (resolveDataDir); the store checks the one it is given
// (parseDataDir) before it joins any file name to it (paths.ts).
import os from 'node:os';
import path from 'node:path';
import { StoreError } from './errors.ts';

export const APP_DIR_NAME = 'Cairn';
export const DATA_DIR_ENV = 'CAIRN_DATA_DIR';

export interface PlatformInfo {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
}

function currentPlatform(): PlatformInfo {
  return { platform: process.platform, env: process.env, home: os.homedir() };
}

/** Electron's `appData`: %APPDATA% on Windows, ~/Library/Application Support on macOS, $XDG_CONFIG_HOME or ~/.config elsewhere. */
export function appDataDir(info: PlatformInfo = currentPlatform()): string {
  const p = info.platform === 'win32' ? path.win32 : path.posix;
  if (info.platform === 'win32') return info.env.APPDATA || p.join(info.home, 'AppData', 'Roaming');
  if (info.platform === 'darwin') return p.join(info.home, 'Library', 'Application Support');
  const xdg = info.env.XDG_CONFIG_HOME;
  // Chromium ignores a relative XDG_CONFIG_HOME, as the XDG spec says to.
  return xdg && p.isAbsolute(xdg) ? xdg : p.join(info.home, '.config');
}

function fromEnv(info: PlatformInfo): string | null {
  const raw = info.env[DATA_DIR_ENV];
  if (!raw || raw.trim() === '' || raw.includes('\0')) return null;
  return (info.platform === 'win32' ? path.win32 : path.posix).resolve(raw);
}

/**
 * Where settings, the key file and (unless the user picked another folder) the
 * database live: CAIRN_DATA_DIR if set, else `<appData>/Cairn`.
 */
export function defaultDataDir(info: PlatformInfo = currentPlatform()): string {
  const p = info.platform === 'win32' ? path.win32 : path.posix;
  return fromEnv(info) ?? p.join(appDataDir(info), APP_DIR_NAME);
}

/**
 * The folder holding the database: CAIRN_DATA_DIR wins (so a test or a script
 * can never touch the user's real sessions), then the Settings choice, then the default.
 */
export function resolveDataDir(settingsDataDir: string | null, info: PlatformInfo = currentPlatform()): string {
  const p = info.platform === 'win32' ? path.win32 : path.posix;
  const env = fromEnv(info);
  if (env) return env;
  if (settingsDataDir && settingsDataDir.trim() !== '' && !settingsDataDir.includes('\0')) return p.resolve(settingsDataDir);
  return defaultDataDir(info);
}

/** A data directory handed to the store (untrusted: from settings, a flag or a caller), made absolute. */
export function parseDataDir(dataDir: unknown): string {
  if (typeof dataDir !== 'string' || dataDir.length === 0 || dataDir.length > 4_096 || dataDir.includes('\0')) {
    throw new StoreError('invalid_input', 'The data directory path is empty, too long or contains a NUL byte.', 'Choose a normal folder in Settings.');
  }
  return path.resolve(dataDir);
}

/** The settings file name inside the default data directory (read by the CLI to honour the dataDir setting). */
export const SETTINGS_FILE_NAME = 'config.json';
