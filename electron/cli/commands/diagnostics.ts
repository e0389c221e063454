// `cairn diagnostics`: the same report as the desktop app's "Copy diagnostics"
// (versions, settings without secrets, the last lines of the shared log,
// verify's answer), for a bug report. Nothing in it is a key or a header value.
import { collectDiagnostics } from '../../service/diagnostics.ts';
import { logFileIn } from '../../service/log-file.ts';
import { APP_VERSION, type CliContext } from '../cli-context.ts';
import type { ExitCode } from '../cli-error.ts';

export function diagnosticsCommand(ctx: CliContext): ExitCode {
  let verify: Parameters<typeof collectDiagnostics>[0]['verify'];
  try {
    verify = ctx.store().verify();
  } catch (err) {
    verify = { error: (err as Error).message };
  }
  const text = collectDiagnostics({
    appVersion: APP_VERSION, platform: `${process.platform} ${process.arch}`, dataDir: ctx.dataDir,
    versions: { node: process.versions.node }, settings: ctx.settings, logFile: logFileIn(ctx.settingsDir), verify,
  });
  if (ctx.json) ctx.emitJson({ type: 'diagnostics', text });
  else ctx.print(text);
  return 0;
}
