// When the app's window opens, closes and comes back, and when it may quit:
// the one window, the "sessions are still running" question, and the ways
// back to the window (a second launch, a notification click, the dock).
// Electron is passed in through the small interfaces below, so this runs
// under plain Node in tests.
import { quitGracefully } from './engine-supervisor.ts';

export interface PreventableEvent {
  preventDefault(): void;
}

export interface LifecycleWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export interface LifecycleApp {
  on(event: 'second-instance' | 'activate' | 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  quit(): void;
}

export interface LifecycleOptions<W extends LifecycleWindow> {
  app: LifecycleApp;
  platform: NodeJS.Platform;
  createWindow: () => W;
  /** Ids of the sessions the engine is running now. */
  running: () => string[];
  /** Asks whether to quit with `count` sessions running (true: quit); `parent` is the window, when there is one. */
  confirmQuit: (count: number, parent: W | null) => Promise<boolean>;
  /** Stops the engine after checkpointing every stream. */
  shutdown: () => Promise<{ clean: boolean }>;
  log: (line: string) => void;
}

export class AppLifecycle<W extends LifecycleWindow> {
  readonly #o: LifecycleOptions<W>;
  #win: W | null = null;
  #quitApproved = false;
  #quitInProgress = false;

  constructor(options: LifecycleOptions<W>) {
    this.#o = options;
    const { app } = options;
    app.on('second-instance', () => this.focusWindow());
    app.on('activate', () => {
      if (!this.window) this.openWindow();
    });
    app.on('before-quit', (event) => {
      if (this.#quitApproved) return;
      event.preventDefault();
      void this.#askToQuit();
    });
    app.on('window-all-closed', () => {
      if (options.platform !== 'darwin') app.quit();
    });
  }

  /** The open window, if any. */
  get window(): W | null {
    return this.#win && !this.#win.isDestroyed() ? this.#win : null;
  }

  openWindow(): W {
    const win = this.#o.createWindow();
    this.#win = win;
    win.on('close', (event) => {
      // On Windows and Linux closing the last window quits: ask now, over the
      // window, so "Keep running" keeps it (there is no tray to come back from).
      if (this.#o.platform === 'darwin' || this.#quitApproved || this.#o.running().length === 0) return;
      event.preventDefault();
      void this.#askToQuit();
    });
    win.on('closed', () => {
      if (this.#win === win) this.#win = null;
    });
    return win;
  }

  /** Brings the window to the front (a second launch, a notification click), opening one if there is none. */
  focusWindow(): void {
    const win = this.window ?? this.openWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  async #askToQuit(): Promise<void> {
    if (this.#quitInProgress) return;
    this.#quitInProgress = true;
    let outcome: 'cancelled' | 'clean' | 'forced';
    try {
      outcome = await quitGracefully({
        running: this.#o.running(),
        confirm: (count) => this.#o.confirmQuit(count, this.window),
        shutdown: this.#o.shutdown,
      });
    } catch (err) {
      this.#o.log(`quit: ${(err as Error).message}`);
      outcome = 'forced';
    } finally {
      this.#quitInProgress = false;
    }
    if (outcome === 'cancelled') {
      // Kept running: never leave the app without a way back to it.
      if (!this.window) this.openWindow();
      return;
    }
    this.#quitApproved = true;
    this.#o.app.quit();
  }
}
