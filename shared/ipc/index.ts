// The one IPC contract. Adding a channel here is the only way to add one:
// the router, the preload and renderer/api.ts are all derived from these maps.
import type { z } from 'zod';
import { ENGINE_TIMEOUT_MS, type ChannelOwner, type IpcResult } from './define.ts';
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

type OwnedBy<O extends ChannelOwner> = { [C in ChannelName]: Channels[C]['owner'] extends O ? C : never }[ChannelName];
/** Channels main answers itself (settings, keys, dialogs, shell). */
export type MainChannelName = OwnedBy<'main'>;
/** Channels the engine process answers (everything that needs the store or the engine). */
export type EngineChannelName = OwnedBy<'engine'>;
export const MAIN_CHANNEL_NAMES = CHANNEL_NAMES.filter((c): c is MainChannelName => channels[c].owner === 'main');
export const ENGINE_CHANNEL_NAMES = CHANNEL_NAMES.filter((c): c is EngineChannelName => channels[c].owner === 'engine');

/** How long main waits for the engine's answer on this channel. */
export function engineTimeoutMs(name: EngineChannelName): number {
  return channels[name].timeoutMs ?? ENGINE_TIMEOUT_MS;
}

type PreloadOnly = { [C in ChannelName]: Channels[C]['preloadOnly'] extends true ? C : never }[ChannelName];
/**
 * The channels the page's bridge (window.cairn) offers: all but those the preload calls itself
 * (a page could name any path, while the preload only sends paths of File objects the user dropped).
 */
export type PageChannelName = Exclude<ChannelName, PreloadOnly>;
export const PAGE_CHANNEL_NAMES = CHANNEL_NAMES.filter((c): c is PageChannelName => !channels[c].preloadOnly);
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
