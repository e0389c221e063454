// The preload: one method per contract channel, one `on…` per event, each
// returning an unsubscribe. Nothing generic (no raw ipcRenderer, no send(name))
// ever reaches the page.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, methodName, PAGE_CHANNEL_NAMES, subscriptionName, type IpcResult } from '../../shared/ipc/index.ts';

const WIRE_PREFIX = 'cairn:';

export function buildBridge(renderer: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): Record<string, unknown> {
  const bridge: Record<string, unknown> = {};
  for (const name of PAGE_CHANNEL_NAMES) {
    bridge[methodName(name)] = (request: unknown) => renderer.invoke(WIRE_PREFIX + name, request);
  }
  for (const name of EVENT_NAMES) {
    bridge[subscriptionName(name)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${subscriptionName(name)} needs a function`);
      // Strip the Electron event object: the page only ever sees the payload.
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      renderer.on(WIRE_PREFIX + name, wrapped);
      return () => {
        renderer.removeListener(WIRE_PREFIX + name, wrapped);
      };
    };
  }
  return Object.freeze(bridge);
}

/**
 * Files dropped on the window: their paths go to main, which from then on lets
 * the page read them. Only File objects with a path on disk count (a page can
 * make a File, but not one backed by a file of its choosing).
 */
export function buildFiles(renderer: Pick<typeof ipcRenderer, 'invoke'>, pathOf: (file: File) => string): Record<string, unknown> {
  const grantDropped = async (files: unknown): Promise<string[]> => {
    if (!Array.isArray(files)) return [];
    const paths = files.filter((f): f is File => f instanceof File).map((f) => pathOf(f)).filter((p) => !!p).slice(0, 500);
    if (paths.length === 0) return [];
    const result = (await renderer.invoke(WIRE_PREFIX + 'documents:dropped', { paths })) as IpcResult<{ paths: string[] }>;
    return result.ok ? result.value.paths : [];
  };
  return Object.freeze({ grantDropped });
}

contextBridge.exposeInMainWorld('cairn', buildBridge(ipcRenderer));
contextBridge.exposeInMainWorld('cairnFiles', buildFiles(ipcRenderer, (file) => webUtils.getPathForFile(file)));
