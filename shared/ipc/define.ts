// The transport-free shape of the IPC contract: a channel is a request schema
// and a response schema; an event is a payload schema. Main validates requests,
// the renderer may validate responses; both share the inferred types.
import { z } from 'zod';
import { ReasonSchema } from '../domain.ts';

export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): ChannelDef<Req, Res> {
  return { request, response };
}

/** Errors cross the boundary as plain values with a reason a person can act on. */
export const IpcErrorSchema = ReasonSchema;
export type IpcError = z.infer<typeof IpcErrorSchema>;

/** What every invoke resolves to: never a thrown Error across the bridge. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const Empty = z.strictObject({});
export const Ok = z.strictObject({ ok: z.literal(true) });
