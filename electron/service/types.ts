// The application service: every IPC channel that needs the engine or the
// store, implemented in plain Node. The desktop shell runs it in a supervised
// engine process (Electron utilityProcess); tests and the Chromium e2e bridge
// run it in-process. Settings and keys stay in main; main hands the service
// what it needs through `configure`.
import type { EngineChannelName, EventName, EventPayload, ParsedRequestOf, ResponseOf } from '../../shared/ipc/index.ts';
import type { Settings } from '../../shared/settings.ts';
import type { BoundSecret } from '../engine/provider/keys.ts';


/**
 * Whether main has the decrypted keys. 'locked': nothing asked the OS keychain
 * yet (the engine asks with `keys-needed` when a provider first needs a key);
 * 'unlocking': main is waiting for the keychain (a prompt may be open).
 */
export type KeychainState = 'locked' | 'unlocking' | 'ready';

export interface ServiceConfig {
  settings: Settings;
  /** Decrypted API keys by key-store profile, each with the one origin it may be sent to. Never sent to the renderer, never logged or stored. */
  keys: Record<string, BoundSecret>;
  /** Decrypted secret header values by provider name, then header name. */
  headers?: Record<string, Record<string, BoundSecret>>;
  /** Absent means 'ready'. */
  keychain?: KeychainState;
}

export type ServiceEventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface AppService {
  /** The channels it serves: exactly the contract's engine channels (shared/ipc, `owner: 'engine'`). */
  readonly channels: readonly EngineChannelName[];
  handle<C extends EngineChannelName>(channel: C, request: ParsedRequestOf<C>): Promise<ResponseOf<C>>;
  onEvent(listener: ServiceEventListener): () => void;
  configure(config: ServiceConfig): void;
  /** Sessions this process is running now. */
  running(): string[];
  /** Checkpoints every running stream, releases leases, closes the store. */
  shutdown(): Promise<void>;
}

/** Messages between main and the engine process (structured-clone safe). */
export type ToEngine =
  | { type: 'configure'; config: ServiceConfig }
  | { type: 'request'; id: number; channel: EngineChannelName; request: unknown }
  | { type: 'shutdown' };

export type FromEngine =
  | { type: 'ready'; pid: number }
  | { type: 'response'; id: number; ok: true; value: unknown }
  | { type: 'response'; id: number; ok: false; error: { code: string; message: string; hint?: string } }
  | { type: 'event'; name: EventName; payload: unknown }
  /** A provider needs a stored key and main has not decrypted them yet. */
  | { type: 'keys-needed' }
  | { type: 'shutdown-complete' };
