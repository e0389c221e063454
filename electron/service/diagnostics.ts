// "Copy diagnostics" (Settings) and `cairn diagnostics`: what someone helping
// the user needs, with no secret in it: versions, settings (keys are never in
// them; header values are left out, only names shown), the last log lines and
// what `verify` says about the store. Redacted once more on the way out.
import type { VerifyReport } from '../../shared/ipc/checkpoints.ts';
import type { Settings } from '../../shared/settings.ts';
import { Redactor, tailLog } from './log-file.ts';

export interface DiagnosticsInput {
  appVersion: string;
  versions: Record<string, string | undefined>;
  platform: string;
  dataDir: string;
  settings: Settings;
  logFile: string;
  logLines?: number;
  verify: VerifyReport | { error: string };
  redactor?: Redactor;
}

/** Settings as they can be shown: provider headers by name only. */
function settingsWithoutSecrets(settings: Settings): unknown {
  return {
    ...settings,
    providers: settings.providers.map((p) => ({ ...p, headers: Object.keys(p.headers) })),
  };
}

export function collectDiagnostics(input: DiagnosticsInput): string {
  const redactor = input.redactor ?? new Redactor();
  const verify = 'error' in input.verify
    ? `verify could not run: ${input.verify.error}`
    : `verify: ${input.verify.ok ? 'ok' : 'PROBLEMS'}; ${input.verify.checkedCheckpoints} checkpoints, ${input.verify.checkedBlobs} blobs checked; integrity_check: ${input.verify.integrityCheck}${input.verify.damaged.length ? `\n${input.verify.damaged.slice(0, 20).map((d) => `  damaged ${d.checkpointId}: ${d.problem}`).join('\n')}` : ''}`;
  const versions = Object.entries(input.versions).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ');
  const text = [
    `Cairn ${input.appVersion} on ${input.platform}`,
    `versions: ${versions}`,
    `data directory: ${input.dataDir}`,
    '',
    verify,
    '',
    'settings:',
    JSON.stringify(settingsWithoutSecrets(input.settings), null, 2),
    '',
    `last log lines (${input.logFile}):`,
    ...tailLog(input.logFile, input.logLines ?? 200),
  ].join('\n');
  return redactor.redact(text);
}
