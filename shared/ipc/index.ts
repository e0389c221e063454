// The one IPC contract. Adding a channel here is the only way to add one:
// the router, the preload and renderer/api.ts are all derived from these maps.
import type { z } from 'zod';
import type { IpcResult } from './define.ts';
import { backupChannels, backupEvents } from './backups.ts';
import { checkpointChannels, checkpointEvents } from './checkpoints.ts';
import { providerChannels } from './providers.ts';
import { sessionChannels, sessionEvents } from './sessions.ts';
import { settingsChannels, settingsEvents } from './settings.ts';

export * from './define.ts';

export const channels = {
  ...sessionChannels,
  ...checkpointChannels,
  ...backupChannels,
  ...settingsChannels,
  ...providerChannels,
} as const;

export const events = {
  ...sessionEvents,
  ...checkpointEvents,
  ...backupEvents,
  ...settingsEvents,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type Events = typeof events;
export type EventName = keyof Events;

export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];

/**
 * Channels the preload calls itself and never exposes to the page: a page
 * could name any path, while the preload only sends paths of File objects the
 * user dropped.
 */
const PRELOAD_ONLY_CHANNELS = ['documents:dropped'] as const satisfies readonly ChannelName[];
export type PageChannelName = Exclude<ChannelName, (typeof PRELOAD_ONLY_CHANNELS)[number]>;
/** The channels the page's bridge (window.cairn) offers. */
export const PAGE_CHANNEL_NAMES = CHANNEL_NAMES.filter((c): c is PageChannelName => !(PRELOAD_ONLY_CHANNELS as readonly string[]).includes(c));
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** Channel name -> preload method name: 'sessions:list' -> 'sessionsList'. */
export function methodName(name: string): string {
  const [domain = '', action = ''] = name.split(':');
  return domain + action.charAt(0).toUpperCase() + action.slice(1);
}

/** Event name -> subscription name: 'stream:text' -> 'onStreamText'. */
export function subscriptionName(name: string): string {
  return 'on' + name.split(':').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

type MethodName<C extends string> = C extends `${infer D}:${infer A}` ? `${D}${Capitalize<A>}` : never;
type SubscriptionName<E extends string> = E extends `${infer D}:${infer A}` ? `on${Capitalize<D>}${Capitalize<A>}` : never;

/** The bridge the preload exposes as `window.cairn`: one method per channel, one `on…` per event. */
export type CairnBridge = {
  [C in PageChannelName as MethodName<C>]: (request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>;
} & {
  [E in EventName as SubscriptionName<E>]: (listener: (payload: EventPayload<E>) => void) => () => void;
};
