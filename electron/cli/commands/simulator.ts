// `cairn simulator`: the built-in OpenAI-compatible simulator, for trying
// Cairn (or any OpenAI client) offline and for fault drills.
import { FaultFlagError, parseFaultFlag, startSimulator, type FaultRule } from '../../engine/simulator/index.ts';
import type { CliContext } from '../cli-context.ts';
import { CliError, type ExitCode } from '../cli-error.ts';

export async function simulatorCommand(ctx: CliContext, opts: { port?: string; fault?: string[]; speed?: string; words?: string }): Promise<ExitCode> {
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(2, 'invalid_input', '--port must be 0–65535.');
  let faults: FaultRule[];
  try {
    faults = (opts.fault ?? []).map(parseFaultFlag);
  } catch (err) {
    if (err instanceof FaultFlagError) throw new CliError(2, 'invalid_input', err.message);
    throw err;
  }
  const speed = opts.speed === undefined ? undefined : Number(opts.speed);
  const words = opts.words === undefined ? undefined : Number(opts.words);
  if ((speed !== undefined && !(speed >= 0)) || (words !== undefined && !(words > 0))) throw new CliError(2, 'invalid_input', '--speed must be ≥ 0 and --words > 0.');
  const sim = await startSimulator({ port, faults, ...(speed !== undefined ? { tokensPerSecond: speed } : {}), ...(words !== undefined ? { words } : {}) });
  if (ctx.json) ctx.emitJson({ type: 'simulator', url: sim.url, baseURL: sim.baseURL, port: sim.port });
  else {
    ctx.print(`Cairn simulator listening on ${sim.baseURL} (OpenAI-compatible; deterministic text, not a real model).`);
    ctx.print(`Use it: cairn run <file> --task "…" --base-url ${sim.baseURL} --model cairn-simulator`);
    ctx.print('Ctrl-C stops it.');
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sim.close();
  return 0;
}
