// A stand-in for the 'electron' module so the router and preload run under
// plain Node. It records handlers and listeners exactly as Electron would.
type Invoke = (event: unknown, payload: unknown) => unknown;

export const handlers = new Map<string, Invoke>();
export const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
export const exposed = new Map<string, unknown>();

export const ipcMain = {
  handle(channel: string, fn: Invoke) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, fn);
  },
  removeHandler(channel: string) {
    handlers.delete(channel);
  },
};

export const ipcRenderer = {
  invoke: (channel: string, payload: unknown) => {
    const h = handlers.get(channel);
    if (!h) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve(h(fakeEvent('cairn://app/index.html'), payload));
  },
  on(channel: string, fn: (event: unknown, payload: unknown) => void) {
    if (!listeners.has(channel)) listeners.set(channel, new Set());
    listeners.get(channel)!.add(fn);
    return ipcRenderer;
  },
  removeListener(channel: string, fn: (event: unknown, payload: unknown) => void) {
    listeners.get(channel)?.delete(fn);
    return ipcRenderer;
  },
};

export function emitToRenderer(channel: string, payload: unknown): void {
  for (const fn of listeners.get(channel) ?? []) fn({ sender: 'electron-event-object' }, payload);
}

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    exposed.set(key, api);
  },
};

export const webUtils = { getPathForFile: () => '/tmp/dropped.pdf' };

export function fakeEvent(url: string, opts: { subFrame?: boolean; noFrame?: boolean } = {}) {
  const mainFrame = { url, parent: null };
  return {
    sender: { id: 1, isDestroyed: () => false, send: () => undefined },
    senderFrame: opts.noFrame ? null : opts.subFrame ? { url, parent: mainFrame } : mainFrame,
    frameId: 1,
    processId: 1,
    type: 'frame',
  };
}
