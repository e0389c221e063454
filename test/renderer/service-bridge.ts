// A CairnBridge over the real application service, so the renderer's
// state-flow tests see the statuses, reasons and codes the engine really gives,
// not a fake's. The engine runs as in the app: a child process (store, engine,
// built-in simulator) behind the e2e harness's AppHost, which also answers
// main's channels with main's own handlers. Requests and responses go through
// the contract as the router checks them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runContract, type ContractHandler } from '../../electron/main/ipc-dispatch.ts';
import { CHANNEL_NAMES, EVENT_NAMES, methodName, subscriptionName, type CairnBridge, type ChannelName } from '../../shared/ipc/index.ts';
import { createApi, type Api } from '../../renderer/api.ts';
import { AppHost, type AppHostOptions } from '../e2e/harness/app-host.ts';

export interface ServiceBridge {
  host: AppHost;
  dir: string;
  api(): Api;
  close(): Promise<void>;
}

export async function serviceBridge(opts: Pick<AppHostOptions, 'simulator'> = {}): Promise<ServiceBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-renderer-service-'));
  const host = new AppHost({ dir, retry: { baseMs: 5, capMs: 20 }, ...opts });
  await host.start();
  const handlers = host.handlers();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  host.onEvent((name, payload) => {
    for (const l of listeners.get(name) ?? []) l(payload);
  });
  const bridge: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) {
    bridge[methodName(name)] = (req: unknown) => runContract(name, req, handlers[name] as ContractHandler<ChannelName, null> | undefined, null);
  }
  for (const name of EVENT_NAMES) {
    bridge[subscriptionName(name)] = (listener: (payload: unknown) => void) => {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => void set.delete(listener);
    };
  }
  return {
    host,
    dir,
    api: () => createApi(bridge as unknown as CairnBridge),
    close: async () => {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
