// Shell completion. `cairn completion bash|zsh|fish` prints a script; the
// script asks `cairn __complete -- <words>` (the words after `cairn`, the last
// one being completed) and offers what it prints, one per line. Commands,
// flags and choices come from the program's own definition; session,
// checkpoint and backup ids from the data dir.
import type { Command, Option } from 'commander';
import { SessionStatusSchema } from '../../../shared/domain.ts';
import type { CliContext } from '../cli-context.ts';
import { CliError, type ExitCode } from '../cli-error.ts';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

const SCRIPTS: Record<(typeof SHELLS)[number], string> = {
  bash: `# cairn completion for bash: source it from ~/.bashrc, e.g.
#   cairn completion bash > ~/.local/share/bash-completion/completions/cairn
_cairn() {
  local IFS=$'\\n'
  COMPREPLY=( $(cairn __complete -- "\${COMP_WORDS[@]:1:$COMP_CWORD}" 2>/dev/null) )
}
complete -o default -F _cairn cairn
`,
  zsh: `#compdef cairn
# cairn completion for zsh: put it in a folder on $fpath as _cairn, e.g.
#   cairn completion zsh > "\${fpath[1]}/_cairn"
_cairn() {
  local -a items
  items=("\${(@f)$(cairn __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ -n "\${items[1]}" ]]; then compadd -a items; else _files; fi
}
compdef _cairn cairn
`,
  fish: `# cairn completion for fish:
#   cairn completion fish > ~/.config/fish/completions/cairn.fish
complete -c cairn -a '(cairn __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
};

export function completionCommand(ctx: CliContext, shell: string): ExitCode {
  if (!(SHELLS as readonly string[]).includes(shell)) throw new CliError(2, 'invalid_input', `No completion for "${shell}".`, `Use one of: ${SHELLS.join(', ')}.`);
  ctx.io.out(SCRIPTS[shell as (typeof SHELLS)[number]]);
  return 0;
}

const visible = (program: Command) => program.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden && c.name() !== 'help');

function optionFor(cmd: Command, program: Command, word: string): Option | undefined {
  return [...cmd.options, ...program.options].find((o) => o.long === word || o.short === word);
}

/** Values for an argument or an option value, by what it names. */
function idsFor(ctx: CliContext, what: string, positionals: string[]): string[] {
  switch (what) {
    case 'session':
      return ctx.store().listSessions({ limit: 200, includeArchived: true }).items.map((s) => s.id);
    case 'checkpoint': {
      const session = positionals[0];
      return session ? ctx.store().timeline(session, { limit: 500 }).items.map((r) => r.checkpoint.id) : [];
    }
    case 'backup':
      return ctx.store().listBackups().map((b) => b.id);
    case 'status':
      return [...SessionStatusSchema.options];
    default:
      return [];
  }
}

/** What the value of an option stands for, from its placeholder (`--to <checkpoint>`, `--session <id>`). */
function valueKind(o: Option): string {
  if (o.long === '--session') return 'session';
  return /<([a-z-]+)/.exec(o.flags)?.[1] ?? '';
}

/** Candidates for the last of `words` (the words after `cairn`). */
export function candidates(program: Command, ctx: CliContext, words: string[]): string[] {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const startsWith = (list: readonly string[]) => list.filter((c) => c.startsWith(current));
  const cmdName = before.find((w) => !w.startsWith('-'));
  const cmd = cmdName ? visible(program).find((c) => c.name() === cmdName) : undefined;
  if (!cmd) {
    if (current.startsWith('-')) return startsWith(program.options.map((o) => o.long ?? '').filter(Boolean));
    return startsWith(visible(program).map((c) => c.name()));
  }
  const prev = before.at(-1) ?? '';
  const prevOption = prev.startsWith('-') ? optionFor(cmd, program, prev) : undefined;
  const rest = before.slice(before.indexOf(cmdName!) + 1);
  const positionals = rest.filter((w, i) => !w.startsWith('-') && !(rest[i - 1]?.startsWith('-') && optionFor(cmd, program, rest[i - 1]!)?.required));
  if (prevOption && (prevOption.required || prevOption.optional)) {
    if (prevOption.argChoices) return startsWith(prevOption.argChoices);
    return startsWith(idsFor(ctx, valueKind(prevOption), positionals));
  }
  if (current.startsWith('-')) return startsWith([...cmd.options, ...program.options].map((o) => o.long ?? '').filter((l) => l && l !== '--help'));
  const arg = cmd.registeredArguments[Math.min(positionals.length, cmd.registeredArguments.length - 1)];
  if (!arg || (positionals.length >= cmd.registeredArguments.length && !arg.variadic)) return [];
  if (arg.argChoices) return startsWith(arg.argChoices);
  // `backup verify <id>`, `backup restore <id>`: backup ids; other positionals named like the thing they take.
  const what = cmd.name() === 'backup' && arg.name() === 'id' ? 'backup' : arg.name();
  return startsWith(idsFor(ctx, what, positionals));
}

export function completeCommand(program: Command, ctx: CliContext, words: string[]): ExitCode {
  try {
    for (const c of candidates(program, ctx, words)) ctx.io.out(`${c}\n`);
  } catch {
    // Completion never prints errors into the user's command line.
  }
  return 0;
}
