// The one application window: options per Electron's security checklist,
// guards installed before anything loads, and its size and position
// remembered in a small file of its own (window-state.json) so a damaged
// window state can never touch the user's settings.
import type { BrowserWindow, BrowserWindowConstructorOptions, Rectangle } from 'electron';
import fs from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../store/fs-safe.ts';
import { guardWebContents } from './security.ts';

export const WindowStateSchema = z.strictObject({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_SIZE = { width: 1280, height: 820 };

export interface WindowOptionsInput {
  preload: string;
  dev: boolean;
  state: WindowState | null;
  icon?: string;
}

export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const bounds = input.state ? { x: input.state.x, y: input.state.y, width: input.state.width, height: input.state.height } : DEFAULT_SIZE;
  return {
    ...bounds,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Cairn',
    backgroundColor: '#1b1d21',
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: {
      preload: input.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: input.dev,
    },
  };
}

export function readWindowState(file: string, log: (line: string) => void = () => undefined): WindowState | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    log('window-state: ignored an invalid window-state.json (only the window position is affected)');
  } catch {
    log('window-state: ignored an unreadable window-state.json (only the window position is affected)');
  }
  return null;
}

export function writeWindowState(file: string, state: WindowState): void {
  writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n');
}

/** A remembered position on a monitor that is no longer attached would open the window off-screen. */
export function visibleOn(state: WindowState, workAreas: readonly Rectangle[]): boolean {
  const minVisible = 100;
  return workAreas.some((a) => {
    const w = Math.min(state.x + state.width, a.x + a.width) - Math.max(state.x, a.x);
    const h = Math.min(state.y + state.height, a.y + a.height) - Math.max(state.y, a.y);
    return w >= minVisible && h >= minVisible;
  });
}

type TrackedWindow = Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized' | 'isDestroyed'>;

/** Saves bounds after moves and resizes settle, and once more on close. Returns a function that saves now. */
export function trackWindowState(win: TrackedWindow, save: (state: WindowState) => void, debounceMs = 500): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const saveNow = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const parsed = WindowStateSchema.safeParse({ x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() });
    if (parsed.success) save(parsed.data);
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveNow, debounceMs);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', saveNow);
  return saveNow;
}

export interface CreateWindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  preload: string;
  icon?: string;
  dev: boolean;
  url: string;
  stateFile: string;
  workAreas: () => Rectangle[];
  log: (line: string) => void;
}

export function createMainWindow(deps: CreateWindowDeps): BrowserWindow {
  const remembered = readWindowState(deps.stateFile, deps.log);
  const state = remembered && visibleOn(remembered, deps.workAreas()) ? remembered : null;
  const win = new deps.BrowserWindow(mainWindowOptions({ preload: deps.preload, dev: deps.dev, state, ...(deps.icon ? { icon: deps.icon } : {}) }));
  guardWebContents(win.webContents, { allowDevTools: deps.dev, log: deps.log });
  trackWindowState(win, (s) => {
    try {
      writeWindowState(deps.stateFile, s);
    } catch (err) {
      deps.log(`window-state: could not save (${(err as Error).message})`);
    }
  });
  win.once('ready-to-show', () => {
    if (state?.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(deps.url).catch((err: unknown) => deps.log(`window: could not load ${deps.url}: ${(err as Error).message}`));
  return win;
}
