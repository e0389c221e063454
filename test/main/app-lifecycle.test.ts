// The window's lifecycle with Electron's app and BrowserWindow replaced by
// fakes that emit events the way Electron does: closing the last window quits
// on Windows and Linux, `before-quit` may be prevented, and a prevented
// `close` keeps the window.
import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { AppLifecycle } from '../../electron/main/app-lifecycle.ts';
import { FakeEvent } from './fake-window.ts';

class FakeWindow extends EventEmitter {
  destroyed = false;
  minimized = false;
  focused = 0;
  readonly app: FakeApp;
  constructor(app: FakeApp) {
    super();
    this.app = app;
    app.windows.add(this);
  }
  isDestroyed() { return this.destroyed; }
  isMinimized() { return this.minimized; }
  restore() { this.minimized = false; }
  show() {}
  focus() { this.focused++; }
  /** The user closes it: 'close' may be prevented; else it is destroyed, and the last window's end is the app's. */
  close(): boolean {
    const e = new FakeEvent();
    this.emit('close', e);
    if (e.defaultPrevented) return false;
    this.destroyed = true;
    this.app.windows.delete(this);
    this.emit('closed');
    if (this.app.windows.size === 0) this.app.emit('window-all-closed');
    return true;
  }
}

class FakeApp extends EventEmitter {
  windows = new Set<FakeWindow>();
  quitted = false;
  /** Like app.quit(): 'before-quit' may be prevented; else every window closes and the app ends. */
  quit(): void {
    const e = new FakeEvent();
    this.emit('before-quit', e);
    if (e.defaultPrevented) return;
    for (const w of [...this.windows]) {
      w.destroyed = true;
      this.windows.delete(w);
      w.emit('closed');
    }
    this.quitted = true;
  }
}

const settle = () => new Promise<void>((r) => setImmediate(r));

function setup(opts: { platform?: NodeJS.Platform; running?: string[]; answer?: 'Quit' | 'Keep running' } = {}) {
  const app = new FakeApp();
  const asked: Array<{ count: number; parent: FakeWindow | null }> = [];
  let shutdowns = 0;
  const running = opts.running ?? ['S1'];
  const lifecycle = new AppLifecycle<FakeWindow>({
    app,
    platform: opts.platform ?? 'linux',
    createWindow: () => new FakeWindow(app),
    running: () => running,
    confirmQuit: async (count, parent) => {
      asked.push({ count, parent });
      return (opts.answer ?? 'Keep running') === 'Quit';
    },
    shutdown: async () => {
      shutdowns++;
      return { clean: true };
    },
    log: () => {},
  });
  lifecycle.openWindow();
  return { app, lifecycle, asked, shutdowns: () => shutdowns };
}

describe.each(['linux', 'win32'] as const)('on %s, with a session running', (platform) => {
  test('closing the window asks, over the window; "Keep running" keeps the window open', async () => {
    const { app, lifecycle, asked } = setup({ platform });
    const win = lifecycle.window as FakeWindow;
    win.close();
    await settle();
    expect(asked).toEqual([{ count: 1, parent: win }]);
    expect(app.quitted).toBe(false);
    expect(lifecycle.window, 'a window is still there to come back to').not.toBeNull();
    expect(app.windows.size).toBe(1);
  });

  test('"Quit" shuts the engine down once and quits', async () => {
    const { app, lifecycle, asked, shutdowns } = setup({ platform, answer: 'Quit' });
    (lifecycle.window as FakeWindow).close();
    await settle();
    expect(asked).toHaveLength(1);
    expect(shutdowns()).toBe(1);
    expect(app.quitted).toBe(true);
    expect(app.windows.size).toBe(0);
  });

  test('a quit from the menu answered "Keep running" leaves a window open', async () => {
    const { app, lifecycle } = setup({ platform });
    app.quit();
    await settle();
    expect(app.quitted).toBe(false);
    expect(lifecycle.window).not.toBeNull();
  });
});

describe('with no window left', () => {
  test('a second launch and a notification click open a window and focus it', () => {
    const { app, lifecycle } = setup({ platform: 'darwin' });
    (lifecycle.window as FakeWindow).close(); // macOS: the app stays without a window
    expect(lifecycle.window).toBeNull();
    app.emit('second-instance');
    const reopened = lifecycle.window as FakeWindow;
    expect(reopened).not.toBeNull();
    expect(reopened.focused).toBe(1);
    (lifecycle.window as FakeWindow).close();
    lifecycle.focusWindow(); // what a notification click calls
    expect((lifecycle.window as FakeWindow).focused).toBe(1);
  });

  test('a quit answered "Keep running" while no window is open opens one', async () => {
    const { app, lifecycle, asked } = setup({ platform: 'darwin' });
    (lifecycle.window as FakeWindow).close();
    expect(asked, 'on macOS closing the window does not quit, so it does not ask').toEqual([]);
    app.quit();
    await settle();
    expect(asked).toEqual([{ count: 1, parent: null }]);
    expect(app.quitted).toBe(false);
    expect(lifecycle.window).not.toBeNull();
  });

  test('with nothing running, closing the last window on Linux quits without asking', async () => {
    const { app, lifecycle, asked, shutdowns } = setup({ running: [] });
    (lifecycle.window as FakeWindow).close();
    await settle();
    expect(asked).toEqual([]);
    expect(shutdowns()).toBe(1);
    expect(app.quitted).toBe(true);
  });
});
