// The `cairn` command: the same engine and store as the desktop app, headless.
// Exit codes: 0 done; 2 usage or bad input; 3 configuration or auth;
// 4 paused and resumable; 130 interrupted; 1 anything else.
import { Argument, Command, CommanderError, Option } from 'commander';
import { APP_VERSION, CliContext, processIo, type CliIo, type GlobalOptions } from './cli-context.ts';
import { toCliError, type ExitCode } from './cli-error.ts';
import { Style, useColor } from './cli-style.ts';
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
    .option('--quiet', 'no progress: only the result (and errors)')
    .option('--verbose', 'also print step keys and every attempt')
    .option('--no-color', 'no colours (also: NO_COLOR=1; FORCE_COLOR=1 forces them)')
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
      const red = new Style(useColor({ noColorFlag: globals.color === false, env: io.env ?? {}, isTTY: Boolean(io.errIsTTY) })).bad;
      if (globals.json) io.out(JSON.stringify({ type: 'error', code: e.code, message: e.message, hint: e.hint ?? null, exitCode: e.exitCode }) + '\n');
      else io.err(`${red('cairn:')} ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
      done(e.exitCode);
    } finally {
      await ctx?.close();
    }
  };

  const SESSION = 'a session id (see cairn sessions)';
  program.command('run')
    .description('analyse documents with a task')
    .argument('<files...>', 'PDF, DOCX, Markdown, text or HTML files')
    .option('--task <text>', 'what to do, e.g. "List every obligation with its deadline"')
    .addOption(new Option('--template <name>', 'a built-in task instead of --task').choices(['summary', 'obligations', 'risks', 'key-figures', 'question', 'custom']))
    .option('--provider <name>', 'a provider profile (see cairn providers list; default: the default profile, else the built-in simulator)')
    .option('--base-url <url>', 'an OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1 or http://localhost:11434/v1')
    .option('--model <id>', 'the model id at that provider')
    .option('--api-key-env <VAR>', 'the environment variable holding the API key (never the key itself)')
    .option('--name <text>', 'a name for the session (default: the file names and the task)')
    .option('--chunk-tokens <n>', 'tokens per chunk, 64–200000 (default 1500)')
    .option('--concurrency <n>', 'chunks analysed at once, 1–32 (default 4)')
    .option('--budget-usd <x>', 'pause before a call would take the session past this cost, in US dollars')
    .addOption(new Option('--resume-policy <policy>', 'what a resume does with an interrupted answer: ask again, or send the partial and continue it (default: the settings\' restart)').choices(['restart', 'continue']))
    .option('--dry-run', 'print the estimated tokens and cost; send nothing')
    .action(wrap(async (ctx, files: string[], opts: RunOptions) => (await runModule()).runCommand(ctx, files, opts)));
  examples(program.commands.at(-1)!, [
    'cairn run contract.pdf --task "List every obligation with its deadline"',
    'cairn run report.docx --template risks --dry-run',
    'cairn run a.pdf b.pdf --template summary --base-url https://api.deepseek.com/v1 --model deepseek-chat --api-key-env DEEPSEEK_API_KEY --budget-usd 2',
    'cairn run notes.md --task "Summarise" --base-url http://localhost:11434/v1 --model llama3.1   # Ollama',
  ]);

  program.command('resume').description('resume an interrupted, paused or waiting session; nothing already paid for is requested again')
    .argument('<session>', SESSION)
    .option('--budget-usd <x>', 'a new budget for the session (e.g. to continue after a budget pause)')
    .action(wrap(async (ctx, id: string, opts: { budgetUsd?: string }) => (await runModule()).resumeCommand(ctx, id, opts)));
  examples(program.commands.at(-1)!, ['cairn resume 01JABCDEFGHJKMNPQRSTVWXYZ0', 'cairn resume 01JABCDEFGHJKMNPQRSTVWXYZ0 --budget-usd 5']);

  program.command('stop').description('stop a session for good: it is not resumed again (fork or export still work); Ctrl-C pauses instead').argument('<session>', SESSION)
    .action(wrap(async (ctx, id: string) => (await sessionsModule()).stopCommand(ctx, id)));
  examples(program.commands.at(-1)!, ['cairn stop 01JABCDEFGHJKMNPQRSTVWXYZ0']);
  program.command('sessions').description('list sessions, most recent first')
    .option('--status <status>', 'only sessions with this status: draft, running, waiting, paused, interrupted, done, failed')
    .option('--query <text>', 'only sessions whose name or task contains this text')
    .option('--limit <n>', 'at most this many, 1–500 (default 50)')
    .option('--all', 'include archived sessions')
    .action(wrap(async (ctx, opts: { status?: string; query?: string; limit?: string; all?: boolean }) => (await sessionsModule()).sessionsCommand(ctx, opts)));
  examples(program.commands.at(-1)!, ['cairn sessions', 'cairn sessions --status interrupted', 'cairn sessions --query contract --limit 5 --json']);

  program.command('show').description('a session\'s status, usage and report').argument('<session>', SESSION)
    .action(wrap(async (ctx, id: string) => (await sessionsModule()).showCommand(ctx, id)));
  examples(program.commands.at(-1)!, ['cairn show 01JABCDEFGHJKMNPQRSTVWXYZ0', 'cairn show 01JABCDEFGHJKMNPQRSTVWXYZ0 --json']);

  program.command('timeline').description('a session\'s checkpoints, newest first').argument('<session>', SESSION)
    .option('--limit <n>', 'checkpoints per page, 1–5000 (default 100)')
    .option('--cursor <cursor>', 'the next page: the cursor the previous page printed')
    .action(wrap(async (ctx, id: string, opts: { limit?: string; cursor?: string }) => (await sessionsModule()).timelineCommand(ctx, id, opts)));
  examples(program.commands.at(-1)!, ['cairn timeline 01JABCDEFGHJKMNPQRSTVWXYZ0', 'cairn timeline 01JABCDEFGHJKMNPQRSTVWXYZ0 --limit 20 --json']);

  program.command('rollback').description('move the session\'s head back to a checkpoint (nothing is deleted; a backup is taken first)')
    .argument('<session>', SESSION)
    .requiredOption('--to <checkpoint>', 'the checkpoint to roll back to (see cairn timeline <session>)')
    .action(wrap(async (ctx, id: string, opts: { to: string }) => (await sessionsModule()).rollbackCommand(ctx, id, opts.to)));
  examples(program.commands.at(-1)!, ['cairn rollback 01JABCDEFGHJKMNPQRSTVWXYZ0 --to 01JABCDEFGHJKMNPQRSTVWXYZ1', 'cairn undo-rollback 01JABCDEFGHJKMNPQRSTVWXYZ0']);

  program.command('undo-rollback').description('undo the last rollback').argument('<session>', SESSION)
    .action(wrap(async (ctx, id: string) => (await sessionsModule()).undoRollbackCommand(ctx, id)));
  examples(program.commands.at(-1)!, ['cairn undo-rollback 01JABCDEFGHJKMNPQRSTVWXYZ0']);

  program.command('fork').description('a new session that starts from a checkpoint; what it shares is not paid for again').argument('<session>', SESSION)
    .requiredOption('--from <checkpoint>', 'the checkpoint the fork starts from (see cairn timeline <session>)')
    .option('--task <text>', 'an edited task for the fork (only the calls whose input changes are made again)')
    .option('--name <text>', 'a name for the fork (default: the task\'s, with "fork")')
    .action(wrap(async (ctx, id: string, opts: { from: string; task?: string; name?: string }) => (await sessionsModule()).forkCommand(ctx, id, opts)));
  examples(program.commands.at(-1)!, ['cairn fork 01JABCDEFGHJKMNPQRSTVWXYZ0 --from 01JABCDEFGHJKMNPQRSTVWXYZ1 --task "List only payment obligations"']);

  program.command('rename').description('give a session a new name').argument('<session>', SESSION).argument('<name>', 'the new name, in quotes')
    .action(wrap(async (ctx, id: string, name: string) => (await sessionsModule()).renameCommand(ctx, id, name)));
  examples(program.commands.at(-1)!, ['cairn rename 01JABCDEFGHJKMNPQRSTVWXYZ0 "Q3 supplier review"']);
  program.command('archive').description('hide a session from `cairn sessions` (shown with --all); nothing is deleted').argument('<session>', SESSION)
    .action(wrap(async (ctx, id: string) => (await sessionsModule()).archiveCommand(ctx, id, true)));
  examples(program.commands.at(-1)!, ['cairn archive 01JABCDEFGHJKMNPQRSTVWXYZ0']);
  program.command('unarchive').description('bring an archived session back into the list').argument('<session>', SESSION)
    .action(wrap(async (ctx, id: string) => (await sessionsModule()).archiveCommand(ctx, id, false)));
  examples(program.commands.at(-1)!, ['cairn unarchive 01JABCDEFGHJKMNPQRSTVWXYZ0']);
  program.command('delete').description('move a session to the trash (cairn trash empty deletes it for good)').argument('<session>', SESSION)
    .action(wrap(async (ctx, id: string) => (await sessionsModule()).deleteCommand(ctx, id)));
  examples(program.commands.at(-1)!, ['cairn delete 01JABCDEFGHJKMNPQRSTVWXYZ0', 'cairn trash restore 01JABCDEFGHJKMNPQRSTVWXYZ0']);
  program.command('trash').description('what was deleted: list, restore a session, or empty the trash for good')
    .argument('<action>', 'list | restore | empty').argument('[session]', 'the session, for restore')
    .action(wrap(async (ctx, action: string, id: string | undefined) => (await sessionsModule()).trashCommand(ctx, action, id)));
  examples(program.commands.at(-1)!, ['cairn trash list', 'cairn trash restore 01JABCDEFGHJKMNPQRSTVWXYZ0', 'cairn trash empty']);
  program.command('ask').description('ask a follow-up question about a finished analysis')
    .argument('<session>', 'a finished session (see cairn sessions --status done)').argument('<question>', 'the question, in quotes')
    .action(wrap(async (ctx, id: string, question: string) => (await sessionsModule()).askCommand(ctx, id, question)));
  examples(program.commands.at(-1)!, ['cairn ask 01JABCDEFGHJKMNPQRSTVWXYZ0 "Which deadlines fall in March?"']);

  program.command('backup').description('create, list, verify, restore or prune backups of the data directory')
    .addArgument(new Argument('<action>', 'create | list | verify | restore | prune').choices(['create', 'list', 'verify', 'restore', 'prune'])).argument('[id]', 'the backup, for verify and restore (see cairn backup list)')
    .addOption(new Option('--mode <mode>', 'restore: replace all data with the backup (after a safety backup), or bring back one session as a new session; asked on a terminal, required otherwise').choices(['replace', 'new-session']))
    .option('--session <id>', 'with --mode new-session: the session to bring back')
    .option('--keep-last <n>', 'prune: keep this many newest backups, at least 1 (default: the settings\')')
    .option('--daily-days <n>', 'prune: also keep the newest backup of each of this many days (default: the settings\')')
    .action(wrap(async (ctx, action: string, id: string | undefined, opts: { mode?: string; session?: string; keepLast?: string; dailyDays?: string }) => (await import('./commands/backup.ts')).backupCommand(ctx, action, id, opts)));
  examples(program.commands.at(-1)!, [
    'cairn backup create',
    'cairn backup list',
    'cairn backup verify 2026-01-31T10-00-00-000Z-ba029604',
    'cairn backup restore 2026-01-31T10-00-00-000Z-ba029604 --mode replace',
    'cairn backup restore 2026-01-31T10-00-00-000Z-ba029604 --mode new-session --session 01JABCDEFGHJKMNPQRSTVWXYZ0',
    'cairn backup prune --keep-last 5 --daily-days 7',
  ]);

  program.command('verify').description('re-hash checkpoints and texts and check the database').argument('[session]', 'only this session (default: everything)')
    .action(wrap(async (ctx, id: string | undefined) => (await sessionsModule()).verifyCommand(ctx, id)));
  examples(program.commands.at(-1)!, ['cairn verify', 'cairn verify 01JABCDEFGHJKMNPQRSTVWXYZ0']);

  program.command('export').description('export a session\'s report and findings').argument('<session>', SESSION)
    .addOption(new Option('--format <format>', 'Markdown, JSON or a standalone HTML page').choices(['md', 'json', 'html']).default('md'))
    .requiredOption('--out <file>', 'where to write the export (required)')
    .action(wrap(async (ctx, id: string, opts: { format: string; out: string }) => (await sessionsModule()).exportCommand(ctx, id, opts)));
  examples(program.commands.at(-1)!, ['cairn export 01JABCDEFGHJKMNPQRSTVWXYZ0 --out report.md', 'cairn export 01JABCDEFGHJKMNPQRSTVWXYZ0 --format html --out report.html']);

  program.command('export-session').description('write one session, with its whole history, to a portable file').argument('<session>', SESSION)
    .requiredOption('--out <file>', 'the file to write, e.g. s.cairn.json (required)')
    .action(wrap(async (ctx, id: string, opts: { out: string }) => (await sessionsModule()).exportSessionCommand(ctx, id, opts.out)));
  examples(program.commands.at(-1)!, ['cairn export-session 01JABCDEFGHJKMNPQRSTVWXYZ0 --out s.cairn.json']);

  program.command('import-session').description('add a session from a file made by export-session (verified before it is added)')
    .argument('<file>', 'a file written by cairn export-session (or Export session in the app)')
    .option('--keep-both', 'when the session is already here, import a second copy')
    .option('--skip', 'when the session is already here, leave it and import nothing')
    .action(wrap(async (ctx, file: string, opts: { keepBoth?: boolean; skip?: boolean }) => (await sessionsModule()).importSessionCommand(ctx, file, opts)));
  examples(program.commands.at(-1)!, ['cairn import-session s.cairn.json', 'cairn import-session s.cairn.json --keep-both']);

  program.command('simulator').description('run the built-in OpenAI-compatible simulator (deterministic text, not a real model) until Ctrl-C')
    .option('--port <n>', 'the port to listen on, 0–65535 (default 0: any free port)')
    .option('--fault <spec...>', 'faults to inject, e.g. drop@5 429:3 500x2 stall@10 (xK: the next K requests, x*: every request)')
    .option('--speed <tokens/s>', 'tokens per second, 0 for as fast as possible')
    .option('--words <n>', 'words per answer')
    .action(wrap(async (ctx, opts: { port?: string; fault?: string[]; speed?: string; words?: string }) => (await import('./commands/simulator.ts')).simulatorCommand(ctx, opts)));
  examples(program.commands.at(-1)!, ['cairn simulator --port 8089', 'cairn simulator --fault 429:5 drop@20x3 --speed 50']);

  program.command('diagnostics').description('versions, settings without secrets, the last log lines and a store check, for a bug report')
    .action(wrap(async (ctx) => (await import('./commands/diagnostics.ts')).diagnosticsCommand(ctx)));
  examples(program.commands.at(-1)!, ['cairn diagnostics > cairn-diagnostics.txt']);
  program.command('providers').description('list, add or test provider profiles (shared with the desktop app)')
    .addArgument(new Argument('<action>', 'list | add | test').choices(['list', 'add', 'test'])).argument('[name]', 'the profile, for add and test (test without a name: the built-in simulator)')
    .option('--name <name>', 'add: the profile\'s name')
    .option('--base-url <url>', 'add: the OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1')
    .option('--model <id>', 'add: the model id at that provider')
    .option('--api-key-env <VAR>', 'add: the environment variable holding the key (never the key itself)')
    .option('--header <name=value...>', 'add: extra HTTP headers').option('--default', 'add: make it the default provider')
    .action(wrap(async (ctx, action: string, name: string | undefined, opts: { name?: string; baseUrl?: string; model?: string; apiKeyEnv?: string; header?: string[]; default?: boolean }) => (await import('./commands/providers.ts')).providersCommand(ctx, action, name, opts)));
  examples(program.commands.at(-1)!, [
    'cairn providers list',
    'cairn providers add --name DeepSeek --base-url https://api.deepseek.com/v1 --model deepseek-chat --api-key-env DEEPSEEK_API_KEY --default',
    'cairn providers test DeepSeek',
  ]);
  program.command('completion').description('print a shell completion script (commands, flags, session and checkpoint ids)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(wrap(async (ctx, shell: string) => (await import('./commands/completion.ts')).completionCommand(ctx, shell)));
  examples(program.commands.at(-1)!, [
    'source <(cairn completion bash)                                  # this shell',
    'cairn completion bash > ~/.local/share/bash-completion/completions/cairn',
    'cairn completion zsh > "${fpath[1]}/_cairn"',
    'cairn completion fish > ~/.config/fish/completions/cairn.fish',
  ]);
  program.command('__complete', { hidden: true }).argument('[words...]').helpOption(false)
    .action(wrap(async (ctx, words: string[] = []) => (await import('./commands/completion.ts')).completeCommand(program, ctx, words)));
  program.addHelpText('after', '\nRun cairn help <command> for a command\'s options and examples.\nExit codes: 0 done, 1 damage found or an unexpected failure, 2 bad input, 3 configuration or auth, 4 paused (resumable), 130 interrupted.\n');
  return program;
}

function examples(cmd: Command, lines: string[]): void {
  cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
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
