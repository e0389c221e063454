// A recording stand-in for BrowserWindow / WebContents / Session, enough to
// drive window.ts and security.ts under plain Node and assert what they set up.
import { EventEmitter } from 'node:events';

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  devToolsClosed = 0;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  closeDevTools(): void {
    this.devToolsClosed++;
  }
  /** Emits like Electron does and reports whether a listener refused it. */
  attempt(event: string, url: string): boolean {
    const e = new FakeEvent();
    this.emit(event, e, url);
    return e.defaultPrevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> };
  readonly webContents = new FakeWebContents();
  loaded: string | null = null;
  bounds = { x: 10, y: 20, width: 1000, height: 700 };
  maximized = false;
  shown = false;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    FakeBrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
  getNormalBounds() {
    return this.bounds;
  }
  isMaximized() {
    return this.maximized;
  }
  maximize() {
    this.maximized = true;
  }
  isDestroyed() {
    return false;
  }
  show() {
    this.shown = true;
  }
}

type Listener = (...args: never[]) => void;

export class FakeSession {
  permissionRequest: Listener | null = null;
  permissionCheck: ((...args: unknown[]) => boolean) | null = null;
  beforeRequest: Listener | null = null;
  headersReceived: Listener | null = null;
  setPermissionRequestHandler(handler: Listener | null): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: ((...args: unknown[]) => boolean) | null): void {
    this.permissionCheck = handler;
  }
  webRequest = {
    onBeforeRequest: (listener: Listener | null) => {
      this.beforeRequest = listener;
    },
    onHeadersReceived: (listener: Listener | null) => {
      this.headersReceived = listener;
    },
  };
}
