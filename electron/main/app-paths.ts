// Where the desktop app keeps things. Must run before `ready` (and before the
// single-instance lock, which lives in userData). Settings and the key file sit
// in the data directory shared with the CLI; Chromium's own profile (caches,
// local storage) goes in a sub-folder so it does not clutter that directory.
import type { App } from 'electron';
import path from 'node:path';
import { APP_DIR_NAME, appDataDir, defaultDataDir } from '../store/data-dir.ts';

export interface AppPaths {
  /** Settings (config.json), window state and the encrypted key file. */
  configDir: string;
  /** Chromium's profile directory (Electron's userData). */
  profileDir: string;
}

export const KEYS_FILE_NAME = 'keys.json';
export const WINDOW_STATE_FILE_NAME = 'window-state.json';

export function configureAppPaths(app: Pick<App, 'setName' | 'getPath' | 'setPath'>, log: (line: string) => void = () => undefined): AppPaths {
  app.setName(APP_DIR_NAME);
  const configDir = defaultDataDir();
  // Electron and data-dir.ts must agree, or the CLI would look elsewhere; say so loudly if they do not.
  const electronAppData = app.getPath('appData');
  if (path.resolve(electronAppData) !== path.resolve(appDataDir())) {
    log(`app-paths: Electron's appData (${electronAppData}) differs from the CLI's (${appDataDir()}); the CLI may need --data-dir`);
  }
  const profileDir = path.join(configDir, 'electron-profile');
  app.setPath('userData', profileDir);
  return { configDir, profileDir };
}
