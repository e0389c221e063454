// The engine process of the e2e runs: the real AppService (engine + store +
// built-in simulator) served by the real `serveEngine` loop, over Node's IPC
// channel instead of Electron's parentPort. A separate process, so a test can
// SIGKILL it mid-run exactly as a crash would end the desktop app's engine.
import { z } from 'zod';
import { serveEngine, type EnginePort } from '../../../electron/engine-host/engine-host.ts';
import { createAppService } from '../../../electron/service/app-service.ts';

export const ENGINE_OPTIONS_ENV = 'CAIRN_E2E_ENGINE';

export const EngineChildOptionsSchema = z.strictObject({
  dataDir: z.string().min(1),
  simulator: z.strictObject({ tokensPerSecond: z.number().nonnegative(), words: z.number().int().positive() }),
  retry: z.strictObject({ baseMs: z.number().int().positive(), capMs: z.number().int().positive() }),
});
export type EngineChildOptions = z.infer<typeof EngineChildOptionsSchema>;

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('engine-child must be started with an IPC channel (child_process.fork).');
  const opts = EngineChildOptionsSchema.parse(JSON.parse(process.env[ENGINE_OPTIONS_ENV] ?? 'null'));
  const service = await createAppService({ dataDir: opts.dataDir, simulator: opts.simulator, runDeps: { retry: opts.retry } });
  const port: EnginePort = {
    onMessage: (listener) => process.on('message', listener),
    postMessage: (message) => void send(message),
  };
  serveEngine(port, service, (code) => process.exit(code));
  // The parent went away without a shutdown: nothing else will end this process.
  process.on('disconnect', () => process.exit(0));
}

if (process.env[ENGINE_OPTIONS_ENV]) {
  main().catch((err: unknown) => {
    console.error(`engine-child: could not start: ${(err as Error).stack ?? String(err)}`);
    process.exit(70);
  });
}
