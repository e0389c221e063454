// Bridges a page's `window.cairn` to handlers in the test process, shaped
// exactly like the preload: one method per channel, one `on…` per event, each
// returning an unsubscribe. Requests go through the same contract validation
// as the Electron router (electron/main/ipc-dispatch.ts).
import type { Page } from 'playwright-core';
import { runContract, type ContractHandler } from '../../../electron/main/ipc-dispatch.ts';
import {
  CHANNEL_NAMES, EVENT_NAMES, methodName, PAGE_CHANNEL_NAMES, subscriptionName, type ChannelName, type EventName, type EventPayload,
} from '../../../shared/ipc/index.ts';

export type BridgeHandlers = { [C in ChannelName]?: ContractHandler<C, null> };

export interface PageBridge {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): Promise<void>;
  calls: Array<{ channel: string; request: unknown }>;
}

export async function bridgePage(page: Page, handlers: () => BridgeHandlers): Promise<PageBridge> {
  const calls: PageBridge['calls'] = [];
  await page.exposeFunction('__cairnInvoke', async (channel: string, request: unknown) => {
    if (!(CHANNEL_NAMES as string[]).includes(channel)) return { ok: false, error: { code: 'invalid_request', message: `Unknown channel ${channel}` } };
    calls.push({ channel, request });
    const name = channel as ChannelName;
    return runContract(name, request, handlers()[name] as ContractHandler<typeof name, null> | undefined, null);
  });
  await page.addInitScript(
    ({ channels, events }) => {
      const listeners = new Map<string, Set<(p: unknown) => void>>();
      const api: Record<string, unknown> = {};
      const w = globalThis as unknown as Record<string, unknown> & { __cairnInvoke: (c: string, r: unknown) => Promise<unknown> };
      for (const [channel, method] of channels) api[method] = (request: unknown) => w.__cairnInvoke(channel, request);
      for (const [event, sub] of events) {
        api[sub] = (fn: (p: unknown) => void) => {
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(fn);
          return () => listeners.get(event)?.delete(fn);
        };
      }
      w.__cairnEmit = (event: string, payload: unknown) => listeners.get(event)?.forEach((fn) => fn(payload));
      w.cairn = Object.freeze(api);
      w.cairnFiles = Object.freeze({ grantDropped: async () => [] });
    },
    { channels: PAGE_CHANNEL_NAMES.map((c) => [c, methodName(c)] as const), events: EVENT_NAMES.map((e) => [e, subscriptionName(e)] as const) },
  );
  return {
    calls,
    emit: async (name, payload) => {
      const arg: [string, unknown] = [name, payload];
      await page.evaluate((a: [string, unknown]) => (globalThis as unknown as { __cairnEmit: (e: string, p: unknown) => void }).__cairnEmit(a[0], a[1]), arg);
    },
  };
}
