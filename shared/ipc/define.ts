// The transport-free shape of the IPC contract: a channel is a request schema,
// a response schema, the side that serves it and how long it may take; an event
// is a payload schema. Main validates requests, the renderer may validate
// responses; both share the inferred types. Who serves a channel is declared
// here and nowhere else: main's handlers and the engine's service are typed
// from it, and a test checks each side serves exactly its own.
import { z } from 'zod';
import { ReasonSchema } from '../domain.ts';

/** `main` answers it in the main process (settings, keys, dialogs, shell); `engine` in the engine process (store, engine). */
export type ChannelOwner = 'main' | 'engine';

/** How long main waits for the engine's answer before it gives up on a request. */
export const ENGINE_TIMEOUT_MS = 60_000;
/** For channels that may legitimately take minutes: model calls, big files, whole-database work. */
export const LONG_ENGINE_TIMEOUT_MS = 15 * 60_000;

export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType, O extends ChannelOwner = ChannelOwner, P extends boolean = boolean> {
  readonly request: Req;
  readonly response: Res;
  readonly owner: O;
  /** For engine channels: how long main waits for the answer. Main's own channels may wait for the user (a dialog) and have none. */
  readonly timeoutMs: number | null;
  /** Called by the preload itself and never offered to the page (it carries what only the preload may know, e.g. dropped files' paths). */
  readonly preloadOnly: P;
}

export interface ChannelOptions<O extends ChannelOwner, P extends boolean> {
  owner: O;
  /** May take minutes (LONG_ENGINE_TIMEOUT_MS instead of ENGINE_TIMEOUT_MS). */
  long?: boolean;
  preloadOnly?: P;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType, O extends ChannelOwner, P extends boolean = false>(
  request: Req, response: Res, opts: ChannelOptions<O, P>,
): ChannelDef<Req, Res, O, P> {
  const timeoutMs = opts.owner === 'main' ? null : opts.long ? LONG_ENGINE_TIMEOUT_MS : ENGINE_TIMEOUT_MS;
  return { request, response, owner: opts.owner, timeoutMs, preloadOnly: (opts.preloadOnly ?? false) as P };
}

/** Errors cross the boundary as plain values with a reason a person can act on. */
export const IpcErrorSchema = ReasonSchema;
export type IpcError = z.infer<typeof IpcErrorSchema>;

/** What every invoke resolves to: never a thrown Error across the bridge. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const Empty = z.strictObject({});
export const Ok = z.strictObject({ ok: z.literal(true) });
