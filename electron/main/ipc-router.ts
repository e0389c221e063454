// The one guarded door between the renderer and main. The only file that
// imports `ipcMain`. Every request is checked for its sender (our own origin,
// the main frame) and its payload (the contract's zod schema) before any
// handler runs; every response is validated too, so a handler bug cannot send
// the page something the contract does not allow.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  CHANNEL_NAMES, events,
  type ChannelName, type EventName, type EventPayload, type IpcResult, type ParsedRequestOf, type ResponseOf,
} from '../../shared/ipc/index.ts';
import { runContract } from './ipc-dispatch.ts';

export const WIRE_PREFIX = 'cairn:';

export type Handler<C extends ChannelName> = (request: ParsedRequestOf<C>, sender: WebContents) => Promise<ResponseOf<C>> | ResponseOf<C>;
export type Handlers = { [C in ChannelName]: Handler<C> };

export interface RouterOptions {
  /** Origins the app's own pages are served from, e.g. 'cairn://app'. */
  allowedOrigins: readonly string[];
  handlers: Partial<Handlers>;
  log?: (line: string) => void;
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // Custom schemes report 'null' as origin; compare scheme + host instead.
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** A request is trusted only from our origin and from the top frame of the window. */
export function checkSender(event: IpcMainInvokeEvent, allowedOrigins: readonly string[]): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return 'requests from sub-frames are refused';
  const origin = originOf(frame.url);
  if (!origin || !allowedOrigins.includes(origin)) return `requests from ${origin ?? 'an unknown origin'} are refused`;
  return null;
}

export async function dispatch<C extends ChannelName>(
  name: C,
  event: IpcMainInvokeEvent,
  payload: unknown,
  opts: RouterOptions,
): Promise<IpcResult<ResponseOf<C>>> {
  const refused = checkSender(event, opts.allowedOrigins);
  if (refused) {
    opts.log?.(`ipc ${name}: sender refused (${refused})`);
    return { ok: false, error: { code: 'forbidden_sender', message: `Request refused: ${refused}.` } };
  }
  return runContract(name, payload, opts.handlers[name] as Handler<C> | undefined, event.sender, opts.log);
}

/** Registers every channel of the contract. Returns a function that removes them. */
export function registerIpc(opts: RouterOptions): () => void {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(WIRE_PREFIX + name, (event, payload: unknown) => dispatch(name, event, payload, opts));
  }
  return () => {
    for (const name of CHANNEL_NAMES) ipcMain.removeHandler(WIRE_PREFIX + name);
  };
}

/** Sends an event to a window after validating it against the contract. */
export function sendEvent<E extends EventName>(target: WebContents, name: E, payload: EventPayload<E>): boolean {
  const checked = events[name].safeParse(payload);
  if (!checked.success || target.isDestroyed()) return false;
  target.send(WIRE_PREFIX + name, checked.data);
  return true;
}
