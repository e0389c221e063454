// The `cairn` command: the same engine and store as the desktop app, headless.
// Exit codes: 0 done; 2 usage or bad input; 3 configuration or auth;
// 4 paused and resumable; 130 interrupted; 1 anything else.
import { Command, CommanderError, Option } from 'commander';
import { APP_VERSION, CliContext, processIo, type CliIo, type GlobalOptions } from './cli-context.ts';
import { toCliError, type ExitCode } from './cli-error.ts';
import type { RunOptions } from './commands/run.ts';

// Commands load on use: `show` or `sessions` should not pay for the document readers and the model client.
const runModule = () => import('./commands/run.ts');
const sessionsModule = () => import('./commands/sessions.ts');

type Action = (ctx: CliContext, ...args: never[]) => ExitCode | Promise<ExitCode>;

export function buildProgram(io: CliIo, done: (code: ExitCode) => void): Command {
  const program = new Command('cairn')
    .description('Long document analyses with LLMs that survive crashes, dropped connections and rate limits.')
    .version(APP_VERSION)
    .option('--data-dir <dir>', 'where sessions and settings live (default: the desktop app\'s; CAIRN_DATA_DIR overrides)')
    .option('--json', 'machine-readable output (NDJSON for run, resume and ask)')
    .option('--debug', 'print the stack trace of an error (for bug reports)')
    .showHelpAfterError('(run cairn --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const wrap = (action: Action) => async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    let ctx: CliContext | null = null;
    try {
      ctx = new CliContext(globals, io);
      done(await (action as (ctx: CliContext, ...a: unknown[]) => ExitCode | Promise<ExitCode>)(ctx, ...args.slice(0, -1)));
    } catch (err) {
      const e = toCliError(err);
      if (globals.debug) io.err(`${stackOf(err)}\n`);
      if (globals.json) io.out(JSON.stringify({ type: 'error', code: e.code, message: e.message, hint: e.hint ?? null, exitCode: e.exitCode }) + '\n');
      else io.err(`cairn: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
      done(e.exitCode);
    } finally {
      await ctx?.close();
    }
  };

  program.command('run')
    .description('analyse documents with a task')
    .argument('<files...>', 'PDF, DOCX, Markdown, text or HTML files')
    .option('--task <text>', 'what to do, e.g. "List every obligation with its deadline"')
    .addOption(new Option('--template <name>', 'a built-in task').choices(['summary', 'obligations', 'risks', 'key-figures', 'question', 'custom']))
    .option('--provider <name>', 'a provider profile (see cairn providers list)')
    .option('--base-url <url>', 'an OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1')
    .option('--model <id>', 'the model id at that provider')
    .option('--api-key-env <VAR>', 'the environment variable holding the API key (never the key itself)')
    .option('--name <text>', 'a name for the session')
    .option('--chunk-tokens <n>', 'tokens per chunk (default 1500)')
    .option('--concurrency <n>', 'chunks analysed at once (default 4)')
    .option('--budget-usd <x>', 'pause before a call would take the session past this cost')
    .addOption(new Option('--resume-policy <policy>', 'what to do with an interrupted answer').choices(['restart', 'continue']))
    .option('--dry-run', 'print the estimated tokens and cost; send nothing')
    .action(wrap(async (ctx, files: string[], opts: RunOptions) => (await runModule()).runCommand(ctx, files, opts)));

  program.command('resume').description('resume an interrupted, paused or waiting session').argument('<session>')
    .option('--budget-usd <x>', 'a new budget for the session (e.g. to continue after a budget pause)')
    .action(wrap(async (ctx, id: string, opts: { budgetUsd?: string }) => (await runModule()).resumeCommand(ctx, id, opts)));
  program.command('sessions').description('list sessions, most recent first')
    .option('--status <status>').option('--query <text>').option('--limit <n>').option('--all', 'include archived sessions')
    .action(wrap(async (ctx, opts: { status?: string; query?: string; limit?: string; all?: boolean }) => (await sessionsModule()).sessionsCommand(ctx, opts)));
  program.command('show').description('a session\'s status, usage and report').argument('<session>')
    .action(wrap(async (ctx, id: string) => (await sessionsModule()).showCommand(ctx, id)));
  program.command('timeline').description('a session\'s checkpoints, newest first').argument('<session>')
    .option('--limit <n>').option('--cursor <cursor>')
    .action(wrap(async (ctx, id: string, opts: { limit?: string; cursor?: string }) => (await sessionsModule()).timelineCommand(ctx, id, opts)));
  program.command('rollback').description('move the session\'s head back to a checkpoint (nothing is deleted)').argument('<session>')
    .requiredOption('--to <checkpoint>', 'the checkpoint to roll back to')
    .action(wrap(async (ctx, id: string, opts: { to: string }) => (await sessionsModule()).rollbackCommand(ctx, id, opts.to)));
  program.command('undo-rollback').description('undo the last rollback').argument('<session>')
    .action(wrap(async (ctx, id: string) => (await sessionsModule()).undoRollbackCommand(ctx, id)));
  program.command('fork').description('a new session that starts from a checkpoint').argument('<session>')
    .requiredOption('--from <checkpoint>').option('--task <text>', 'an edited task for the fork').option('--name <text>')
    .action(wrap(async (ctx, id: string, opts: { from: string; task?: string; name?: string }) => (await sessionsModule()).forkCommand(ctx, id, opts)));
  program.command('ask').description('ask a follow-up question about a finished analysis').argument('<session>').argument('<question>')
    .action(wrap(async (ctx, id: string, question: string) => (await sessionsModule()).askCommand(ctx, id, question)));
  program.command('backup').description('create, list, verify, restore or prune backups')
    .argument('<action>', 'create | list | verify | restore | prune').argument('[id]', 'the backup, for verify and restore')
    .addOption(new Option('--mode <mode>', 'restore mode').choices(['replace', 'new-session']))
    .option('--session <id>', 'with --mode new-session: the session to bring back')
    .option('--keep-last <n>').option('--daily-days <n>')
    .action(wrap(async (ctx, action: string, id: string | undefined, opts: { mode?: string; session?: string; keepLast?: string; dailyDays?: string }) => (await import('./commands/backup.ts')).backupCommand(ctx, action, id, opts)));
  program.command('verify').description('re-hash checkpoints and texts and check the database').argument('[session]')
    .action(wrap(async (ctx, id: string | undefined) => (await sessionsModule()).verifyCommand(ctx, id)));
  program.command('export').description('export a session\'s report and findings').argument('<session>')
    .addOption(new Option('--format <format>').choices(['md', 'json', 'html']).default('md'))
    .requiredOption('--out <file>')
    .action(wrap(async (ctx, id: string, opts: { format: string; out: string }) => (await sessionsModule()).exportCommand(ctx, id, opts)));
  program.command('export-session').description('write one session, with its whole history, to a portable file').argument('<session>')
    .requiredOption('--out <file>')
    .action(wrap(async (ctx, id: string, opts: { out: string }) => (await sessionsModule()).exportSessionCommand(ctx, id, opts.out)));
  program.command('import-session').description('add a session from a file made by export-session (verified before it is added)').argument('<file>')
    .action(wrap(async (ctx, file: string) => (await sessionsModule()).importSessionCommand(ctx, file)));
  program.command('simulator').description('run the built-in OpenAI-compatible simulator')
    .option('--port <n>').option('--fault <spec...>', 'faults to inject, e.g. drop@5 429:3 500x2').option('--speed <tokens/s>').option('--words <n>')
    .action(wrap(async (ctx, opts: { port?: string; fault?: string[]; speed?: string; words?: string }) => (await import('./commands/simulator.ts')).simulatorCommand(ctx, opts)));
  program.command('providers').description('list, add or test provider profiles (shared with the desktop app)')
    .argument('<action>', 'list | add | test').argument('[name]')
    .option('--name <name>').option('--base-url <url>').option('--model <id>').option('--api-key-env <VAR>')
    .option('--header <name=value...>', 'extra HTTP headers').option('--default', 'make it the default provider')
    .action(wrap(async (ctx, action: string, name: string | undefined, opts: { name?: string; baseUrl?: string; model?: string; apiKeyEnv?: string; header?: string[]; default?: boolean }) => (await import('./commands/providers.ts')).providersCommand(ctx, action, name, opts)));
  return program;
}

function stackOf(err: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = err, i = 0; cur !== undefined && cur !== null && i < 6; i += 1) {
    parts.push(cur instanceof Error ? cur.stack ?? String(cur) : String(cur));
    cur = typeof cur === 'object' && 'cause' in cur ? cur.cause : undefined;
  }
  return parts.join('\ncaused by: ');
}

let guarded = false;

/**
 * A closed stdout (`cairn sessions | head -1`) is a normal end: exit 0, nothing on stderr.
 * Anything thrown outside a command is one line, with its stack only under --debug.
 */
function guardProcess(debug: boolean): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    fatal(err, debug);
  });
  // Nowhere left to report to.
  process.stderr.on('error', () => undefined);
  process.on('uncaughtException', (err) => fatal(err, debug));
  process.on('unhandledRejection', (err) => fatal(err, debug));
}

function fatal(err: unknown, debug: boolean): never {
  const e = toCliError(err);
  try {
    process.stderr.write(debug ? `${stackOf(err)}\n` : `cairn: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}  (run again with --debug for details)\n`);
  } catch {
    // stderr is gone too
  }
  process.exit(e.exitCode);
}

export async function main(argv: string[], io: CliIo = processIo): Promise<ExitCode> {
  const debug = argv.includes('--debug');
  if (io === processIo) guardProcess(debug);
  let code: ExitCode = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else commander refuses is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    const e = toCliError(err);
    io.err(debug ? `${stackOf(err)}\n` : `cairn: ${e.message}\n`);
    return e.exitCode;
  }
  return code;
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}
