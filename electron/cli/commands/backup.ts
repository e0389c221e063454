// `cairn backup create|list|verify|restore|prune`.
import type { BackupInfo } from '../../../shared/domain.ts';
import type { CliContext } from '../cli-context.ts';
import { CliError, type ExitCode } from '../cli-error.ts';

function line(b: BackupInfo): string {
  return `${b.id}  ${b.createdAt.slice(0, 19).replace('T', ' ')}  ${(b.sizeBytes / 1024).toFixed(0).padStart(7)} KiB  ${b.verified.padEnd(10)} ${b.reason}`;
}

const MODE_HELP = '--mode replace replaces all data with the backup (a safety backup of the current data is taken first); --mode new-session --session <id> brings back one session beside the others.';

/**
 * Replacing all data is never a default: a script must say --mode, and a person
 * at a terminal is asked. Null when the person declines.
 */
async function restoreMode(ctx: CliContext, id: string, opts: { mode?: string; session?: string }): Promise<{ mode: 'replace' | 'new-session'; session?: string } | null> {
  let mode = opts.mode;
  if (mode === undefined) {
    if (!ctx.io.canAsk || ctx.json) throw new CliError(2, 'invalid_input', `Say how to restore ${id}: ${MODE_HELP}`);
    const answer = (await ctx.io.ask(`Restore ${id}:\n  r  replace all data with it (a safety backup of the current data is taken first)\n  n  bring back one session from it as a new session\nr, n, or Enter to cancel: `)).toLowerCase();
    mode = answer === 'r' || answer === 'replace' ? 'replace' : answer === 'n' || answer === 'new-session' ? 'new-session' : undefined;
    if (mode === undefined) return null;
  }
  if (mode !== 'replace' && mode !== 'new-session') throw new CliError(2, 'invalid_input', `--mode must be replace or new-session (got "${mode}"). ${MODE_HELP}`);
  let session = opts.session;
  if (mode === 'new-session' && !session && ctx.io.canAsk && !ctx.json) session = (await ctx.io.ask('The session to bring back (its id): ')) || undefined;
  if (mode === 'new-session' && !session) throw new CliError(2, 'invalid_input', '--mode new-session needs --session <id> (the session to bring back from the backup).');
  return session ? { mode, session } : { mode };
}

export async function backupCommand(ctx: CliContext, action: string, id: string | undefined, opts: { mode?: string; session?: string; keepLast?: string; dailyDays?: string }): Promise<ExitCode> {
  const store = ctx.store();
  switch (action) {
    case 'create': {
      const b = await store.createBackup({ reason: 'manual' });
      if (ctx.json) ctx.emitJson(b);
      else ctx.print(`Backup ${b.id}: ${(b.sizeBytes / 1024).toFixed(0)} KiB, ${b.verified === 'ok' ? 'verified' : b.verified}.`);
      return b.verified === 'ok' ? 0 : 1;
    }
    case 'list': {
      const items = store.listBackups();
      if (ctx.json) ctx.emitJson(items);
      else if (items.length === 0) ctx.print('No backups yet. Make one with: cairn backup create');
      else items.forEach((b) => ctx.print(line(b)));
      return 0;
    }
    case 'verify': {
      if (!id) throw new CliError(2, 'invalid_input', 'Name the backup to verify: cairn backup verify <id> (see cairn backup list).');
      const b = store.verifyBackup(id);
      if (ctx.json) ctx.emitJson(b);
      else ctx.print(line(b));
      return b.verified === 'ok' ? 0 : 1;
    }
    case 'restore': {
      if (!id) throw new CliError(2, 'invalid_input', 'Name the backup to restore: cairn backup restore <id> --mode replace|new-session (see cairn backup list).');
      const choice = await restoreMode(ctx, id, opts);
      if (!choice) {
        ctx.print('Nothing was restored.');
        return 0;
      }
      const { mode, session } = choice;
      const r = await store.restoreBackup(id, mode, session);
      if (ctx.json) ctx.emitJson(r);
      else ctx.print(`Restored ${id} (${mode}).${r.safetyBackupId ? ` The state before the restore was saved as ${r.safetyBackupId}.` : ''}${r.restoredSessions.length ? ` Sessions: ${r.restoredSessions.join(', ')}` : ''}`);
      return 0;
    }
    case 'prune': {
      const keepLast = Number(opts.keepLast ?? ctx.settings.backupRetention.keepLast);
      const dailyDays = Number(opts.dailyDays ?? ctx.settings.backupRetention.dailyDays);
      if (!Number.isInteger(keepLast) || keepLast < 1 || !Number.isInteger(dailyDays) || dailyDays < 0) throw new CliError(2, 'invalid_input', '--keep-last must be ≥ 1 and --daily-days ≥ 0.');
      const removed = store.pruneBackups({ keepLast, dailyDays });
      if (ctx.json) ctx.emitJson({ removed });
      else ctx.print(removed.length ? `Removed ${removed.length} old backups.` : 'Nothing to prune.');
      return 0;
    }
    default:
      throw new CliError(2, 'invalid_input', `Unknown backup action "${action}".`, 'Use create, list, verify, restore or prune.');
  }
}
