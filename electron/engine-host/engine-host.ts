// The engine process (an Electron utilityProcess started by main): it builds
// the AppService, answers ToEngine requests with FromEngine responses, and
// forwards the service's events. Engine work (PDF parsing, hashing, fsync
// storms, model streams) runs here, so main's thread never waits on it.
import type { AppService, FromEngine, ToEngine } from '../service/types.ts';
import type { EngineChannelName } from '../../shared/ipc/index.ts';
import { toIpcError } from '../service/ipc-errors.ts';

/** The two ends of a message channel to main: Electron's parentPort in the app, process.send in tests. */
export interface EnginePort {
  onMessage(listener: (message: unknown) => void): void;
  postMessage(message: FromEngine): void;
}

function isToEngine(raw: unknown): raw is ToEngine {
  if (!raw || typeof raw !== 'object') return false;
  const m = raw as { type?: unknown; id?: unknown; channel?: unknown; config?: unknown };
  if (m.type === 'shutdown') return true;
  if (m.type === 'configure') return !!m.config && typeof m.config === 'object';
  return m.type === 'request' && typeof m.id === 'number' && typeof m.channel === 'string';
}

/**
 * Serves one AppService over `port`. `exit` is called after a graceful
 * shutdown has checkpointed every stream and told main so.
 */
export function serveEngine(port: EnginePort, service: AppService, exit: (code: number) => void): void {
  let shuttingDown = false;
  service.onEvent((name, payload) => port.postMessage({ type: 'event', name, payload }));
  port.onMessage((raw) => {
    // Main is trusted, but a malformed message must not crash every running session.
    if (!isToEngine(raw)) return;
    switch (raw.type) {
      case 'configure':
        service.configure(raw.config);
        return;
      case 'request': {
        const { id, channel, request } = raw;
        if (shuttingDown) {
          port.postMessage({ type: 'response', id, ok: false, error: { code: 'engine_stopping', message: 'Cairn is shutting down the engine.' } });
          return;
        }
        // The router already validated the payload against the contract.
        service.handle(channel as EngineChannelName, request as never).then(
          (value) => port.postMessage({ type: 'response', id, ok: true, value }),
          (err: unknown) => port.postMessage({ type: 'response', id, ok: false, error: toIpcError(err) }),
        );
        return;
      }
      case 'shutdown':
        if (shuttingDown) return;
        shuttingDown = true;
        service.shutdown().then(
          () => {
            port.postMessage({ type: 'shutdown-complete' });
            exit(0);
          },
          () => exit(1),
        );
        return;
    }
  });
  port.postMessage({ type: 'ready', pid: process.pid });
}

// Entry point when run as a utilityProcess: only then is process.parentPort set.
// (No top-level await: the bundle is CommonJS. parentPort queues messages until
// the listener exists, so nothing main sends while the service opens is lost.)
if (process.parentPort) {
  const parentPort = process.parentPort;
  const port: EnginePort = {
    onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    postMessage: (message) => parentPort.postMessage(message),
  };
  void (async () => {
    const { createAppService } = await import('../service/app-service.ts');
    // Main passes its version in the environment: a utilityProcess has no `app` to ask.
    const appVersion = process.env.CAIRN_APP_VERSION;
    // Keys come from main only when a provider first needs one (a keychain prompt must not hold up the engine).
    const service = await createAppService({ ...(appVersion ? { appVersion } : {}), requestKeys: () => port.postMessage({ type: 'keys-needed' }) });
    serveEngine(port, service, (code) => process.exit(code));
  })().catch((err: unknown) => {
    console.error(`engine-host: could not start the engine: ${(err as Error).message}`);
    process.exit(70);
  });
}
