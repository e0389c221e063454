// The Electron main process: one hardened window, the guarded IPC router, the
// supervised engine process, settings and encrypted keys. Anything testable
// lives in the modules imported here; this file only wires them to Electron.
import {
  app, BrowserWindow, clipboard, dialog, Notification, powerSaveBlocker, protocol, safeStorage, screen, session, shell, utilityProcess,
  type BrowserWindow as BrowserWindowType,
} from 'electron';
import ElectronStore from 'electron-store';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { configureAppPaths, KEYS_FILE_NAME, WINDOW_STATE_FILE_NAME } from './app-paths.ts';
import { resolveDataDir } from '../store/data-dir.ts';
import { AppLifecycle } from './app-lifecycle.ts';
import { EngineSupervisor, type EngineProcess } from './engine-supervisor.ts';
import { registerIpc, sendEvent, type Handler, type Handlers } from './ipc-router.ts';
import { EngineSecrets } from './engine-secrets.ts';
import { FileGrants, requireChosenFiles } from './file-grants.ts';
import { KeyStore } from './key-store.ts';
import { exportAndSave } from './export-save.ts';
import { createMainHandlers, moveLegacySecrets } from './main-handlers.ts';
import { PowerSaveGuard, registerNotificationIdentity, SessionNotifier } from './notifications.ts';
import {
  APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, createAppProtocolHandler, guardSession, guardWebContents, parseDevServerUrl, PRIVILEGED_SCHEMES,
} from './security.ts';
import { SettingsStore } from './settings-store.ts';
import { collectDiagnostics } from '../service/diagnostics.ts';
import { logFileIn, RotatingLog } from '../service/log-file.ts';
import type { ServiceConfig } from '../service/types.ts';
import { createMainWindow } from './window.ts';
import { SessionSchema } from '../../shared/domain.ts';
import { ENGINE_CHANNEL_NAMES, type ChannelName, type EventName, type EventPayload, type ResponseOf } from '../../shared/ipc/index.ts';
import type { Settings } from '../../shared/settings.ts';

// Log lines never carry keys or document text: only names, codes and counts.
// They go to stdout and, once the data folder is known, to logs/cairn.log (redacted, rotated).
let logFile: RotatingLog | null = null;
const log = (line: string) => {
  console.log(`[cairn] ${line}`);
  logFile?.write(line);
};

// The bundle is CommonJS in dist-electron/, so the app's root is one level up (app.asar when packaged).
const appRoot = path.resolve(__dirname, '..');
const rendererDir = path.join(appRoot, 'dist', 'renderer');
const preloadFile = path.join(appRoot, 'dist-electron', 'preload.cjs');
const engineHostFile = path.join(appRoot, 'dist-electron', 'engine-host.cjs');
const iconFile = path.join(appRoot, 'build', 'icons', '512x512.png');

const devOrigin = app.isPackaged ? null : parseDevServerUrl(process.env.CAIRN_DEV_SERVER_URL);
if (process.env.CAIRN_DEV_SERVER_URL && !devOrigin) log('dev: CAIRN_DEV_SERVER_URL ignored (only a local http(s) server in an unpackaged build)');
const isDev = devOrigin !== null;

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES);
const paths = configureAppPaths(app, log);
logFile = new RotatingLog({ file: logFileIn(paths.configDir) });
log(`start: Cairn ${app.getVersion()} (Electron ${process.versions.electron}) on ${process.platform}`);
registerNotificationIdentity(app);

if (!app.requestSingleInstanceLock()) {
  // Another Cairn owns this data directory; it gets focused through 'second-instance'.
  app.quit();
} else {
  startApp();
}

function startApp(): void {
  // Set once the app is ready (the window needs the engine and the settings).
  let lifecycle: AppLifecycle<BrowserWindowType> | null = null;
  const focusWindow = () => lifecycle?.focusWindow();

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { allowDevTools: isDev, log }));

  void app.whenReady().then(async () => {
    guardSession(session.defaultSession, { devOrigin, log });
    protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));

    const settings = new SettingsStore({
      dir: paths.configDir,
      log,
      createBackend: ({ cwd, name, defaults }) => new ElectronStore<Settings>({ cwd, name, defaults, clearInvalidConfig: false, watch: false, configFileMode: 0o600 }),
    });
    const keys = new KeyStore({ file: path.join(paths.configDir, KEYS_FILE_NAME), safeStorage, log });
    const dataDir = () => resolveDataDir(settings.get().dataDir);

    const currentWindow = () => lifecycle?.window ?? null;
    const forward = (name: EventName, payload: unknown) => {
      const win = currentWindow();
      if (win) sendEvent(win.webContents, name, payload as EventPayload<EventName> as never);
    };
    const notifier = new SessionNotifier({
      enabled: () => settings.get().notifications && Notification.isSupported(),
      isFocused: () => currentWindow()?.isFocused() ?? false,
      notify: ({ title, body }) => {
        const n = new Notification({ title, body, silent: false });
        n.on('click', focusWindow);
        n.show();
      },
    });
    const power = new PowerSaveGuard(powerSaveBlocker);

    // The engine gets an absolute data directory and, once a provider needs them, the decrypted keys; nothing else leaves main.
    let reconfigureEngine: () => void = () => undefined;
    await moveLegacySecrets({ settings, keys, log }).catch((err: unknown) => log(`keys: could not move older secrets (${(err as Error).message})`));
    const secrets = new EngineSecrets({ keys, log, onChange: () => reconfigureEngine(), onSecrets: (values) => logFile?.redactor.add(values) });
    const engineConfig = (): ServiceConfig => secrets.config({ ...settings.get(), dataDir: dataDir() });
    const confirmInMain = async (q: { message: string; detail: string; confirm: string; cancel: string }): Promise<boolean> => {
      const options = { type: 'question' as const, title: 'Cairn', message: q.message, detail: q.detail, buttons: [q.cancel, q.confirm], defaultId: 0, cancelId: 0, noLink: true };
      const win = currentWindow();
      const r = win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      return r.response === 1;
    };

    const supervisor = new EngineSupervisor({
      log,
      config: engineConfig,
      onKeysNeeded: () => secrets.unlock(),
      autoResume: () => settings.get().autoResume,
      spawn: (): EngineProcess => {
        const child = utilityProcess.fork(engineHostFile, [], {
          serviceName: 'Cairn engine',
          // Piped into main's log: a packaged app has no terminal to print to.
          stdio: 'pipe',
          env: { ...process.env, CAIRN_APP_VERSION: app.getVersion() },
        });
        const toLog = (chunk: Buffer | string) => {
          for (const line of String(chunk).split('\n')) if (line.trim()) log(`engine: ${line.slice(0, 2_000)}`);
        };
        child.stdout?.on('data', toLog);
        child.stderr?.on('data', toLog);
        return {
          get pid() {
            return child.pid;
          },
          postMessage: (message) => child.postMessage(message),
          onMessage: (listener) => child.on('message', listener),
          onExit: (listener) => child.on('exit', listener),
          kill: () => child.kill(),
        };
      },
      onEvent: (name, payload) => {
        // Stream text arrives already coalesced by the engine (at most one event per ~50 ms per stream).
        if (name === 'session:changed') {
          const s = SessionSchema.safeParse(payload);
          if (s.success) notifier.observe(s.data);
          power.update(supervisor.running().length, settings.get().preventSleep);
        }
        forward(name, payload);
      },
    });

    reconfigureEngine = () => supervisor.configure(engineConfig());
    const files = new FileGrants();
    const mainHandlers = createMainHandlers({
      settings,
      keys,
      log,
      appInfo: () => ({ version: app.getVersion(), platform: process.platform, dataDir: dataDir(), systemLanguages: app.getPreferredSystemLanguages() }),
      openExternal: (url) => shell.openExternal(url),
      confirm: confirmInMain,
      writeClipboard: (text) => clipboard.writeText(text),
      diagnostics: async () => {
        const verify = await supervisor.request('checkpoints:verify', {}).then(
          (r) => r as ResponseOf<'checkpoints:verify'>,
          (err: unknown) => ({ error: (err as Error).message }),
        );
        return collectDiagnostics({
          appVersion: app.getVersion(), platform: `${process.platform} ${process.arch}`, dataDir: dataDir(),
          versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
          settings: settings.get(), logFile: logFileIn(paths.configDir), verify, ...(logFile ? { redactor: logFile.redactor } : {}),
        });
      },
      files,
      pickDocuments: async () => {
        const options = {
          title: 'Add documents',
          properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>,
          filters: [{ name: 'Documents', extensions: ['txt', 'md', 'markdown', 'pdf', 'docx', 'html', 'htm'] }],
        };
        const win = currentWindow();
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? [] : result.filePaths.slice(0, 500);
      },
      pickSessionFile: async () => {
        const options = {
          title: 'Import a session',
          properties: ['openFile'] as Array<'openFile'>,
          filters: [{ name: 'Cairn session', extensions: ['json'] }],
        };
        const win = currentWindow();
        const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? [] : result.filePaths.slice(0, 1);
      },
      onSettingsChanged: (next) => {
        forward('settings:changed', next);
        power.update(supervisor.running().length, next.preventSleep);
        reconfigureEngine();
      },
      onKeysChanged: () => secrets.keysChanged(),
    });

    const handlers: Partial<Handlers> = { ...mainHandlers };
    for (const name of ENGINE_CHANNEL_NAMES) {
      const viaEngine: Handler<ChannelName> = async (request) => (await supervisor.request(name, request)) as ResponseOf<ChannelName>;
      (handlers as Record<string, Handler<ChannelName>>)[name] = viaEngine;
    }
    // The page reads only files the user chose.
    Object.assign(handlers, requireChosenFiles(files, handlers as Handlers));
    // Export with save: the engine renders, main asks where to write it.
    handlers['sessions:export'] = (request) => exportAndSave(request, {
      render: async (r) => (await supervisor.request('sessions:export', r)) as ResponseOf<'sessions:export'>,
      sessionName: async (id) => ((await supervisor.request('sessions:get', { id })) as ResponseOf<'sessions:get'>).name,
      chooseFile: async (suggested, format) => {
        const options = { title: 'Export report', defaultPath: suggested, filters: [{ name: format.toUpperCase(), extensions: [format] }] };
        const win = currentWindow();
        const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        return r.canceled || !r.filePath ? null : r.filePath;
      },
      writeFile: (file, content) => writeFile(file, content, 'utf8'),
    });
    registerIpc({ allowedOrigins: devOrigin ? [APP_ORIGIN, devOrigin] : [APP_ORIGIN], handlers, log });

    void supervisor.start().catch((err: unknown) => log(`engine: did not start (${(err as Error).message})`));

    lifecycle = new AppLifecycle({
      app,
      platform: process.platform,
      createWindow: () => {
        const win = createMainWindow({
          BrowserWindow,
          preload: preloadFile,
          icon: iconFile,
          dev: isDev,
          url: devOrigin ?? APP_ENTRY_URL,
          stateFile: path.join(paths.configDir, WINDOW_STATE_FILE_NAME),
          workAreas: () => screen.getAllDisplays().map((d) => d.workArea),
          log,
        });
        const warning = [settings.warning, keys.warning].filter(Boolean).join('\n\n');
        if (warning) {
          win.once('ready-to-show', () => {
            if (win.isDestroyed()) return;
            void dialog.showMessageBox(win, { type: 'warning', title: 'Cairn', message: 'Some of your settings could not be used', detail: warning, buttons: ['OK'] });
          });
        }
        return win;
      },
      running: () => supervisor.running(),
      confirmQuit: async (count, parent) => {
        const options = {
          type: 'question' as const,
          buttons: ['Quit', 'Keep running'],
          defaultId: 1,
          cancelId: 1,
          message: count === 1 ? 'A session is still running.' : `${count} sessions are still running.`,
          detail: 'Cairn will checkpoint what they have done so far. They will show as interrupted and can be resumed later.',
        };
        const r = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
        return r.response === 0;
      },
      shutdown: () => supervisor.shutdown(15_000),
      log,
    });
    lifecycle.openWindow();
  });
}
