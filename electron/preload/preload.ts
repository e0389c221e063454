// The preload: one method per contract channel, one `on…` per event, each
// returning an unsubscribe. Nothing generic (no raw ipcRenderer, no send(name))
// ever reaches the page.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES, EVENT_NAMES, methodName, subscriptionName } from '../../shared/ipc/index.ts';

const WIRE_PREFIX = 'cairn:';

export function buildBridge(renderer: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): Record<string, unknown> {
  const bridge: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) {
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

/** The path of a file dropped on the window (the sandboxed page cannot read it). */
function pathForFile(file: File): string {
  return webUtils.getPathForFile(file);
}

contextBridge.exposeInMainWorld('cairn', buildBridge(ipcRenderer));
contextBridge.exposeInMainWorld('cairnFiles', Object.freeze({ pathForFile }));
