// Help that a new user can work from: every option and argument says what it
// does (and its default or that it is required), every command has examples,
// and `cairn help <command>` shows the same as `cairn <command> --help`.
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../electron/cli/main.ts';
import { runCli, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('help', 1);
const program = buildProgram({ out: () => undefined, err: () => undefined, isTTY: false, canAsk: false, ask: () => Promise.resolve('') }, () => undefined);

describe('help', () => {
  it('every option and argument of every command has a description, and every command examples', () => {
    const missing: string[] = [];
    for (const cmd of program.commands.filter((c) => c.name() !== 'help' && c.name() !== '__complete')) {
      for (const o of cmd.options) if (!o.description) missing.push(`${cmd.name()} ${o.flags}`);
      for (const a of cmd.registeredArguments) if (!a.description) missing.push(`${cmd.name()} <${a.name()}>`);
      if (!cmd.helpInformation().includes('\nExamples:\n') && !helpAfter(cmd.name()).includes('Examples:')) missing.push(`${cmd.name()}: examples`);
    }
    expect(missing).toEqual([]);
  });

  it('cairn help <command> prints the command\'s help, with what is required and the defaults', async () => {
    const dataDir = ws.root;
    const [help, flag] = await Promise.all([runCli(['help', 'export'], { dataDir }), runCli(['export', '--help'], { dataDir })]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(flag.stdout);
    expect(help.stdout).toMatch(/--out <file>\s+where to write the export \(required\)/);
    expect(help.stdout).toMatch(/Examples:\n\s+cairn export /);
    const backup = await runCli(['help', 'backup'], { dataDir });
    expect(backup.stdout).toMatch(/--mode <mode>.*replace/);
    expect(backup.stdout).toMatch(/--keep-last <n>\s+\S/);
    const top = await runCli(['--help'], { dataDir });
    expect(top.stdout).toMatch(/cairn help <command>/);
  });
});

/** The text commander prints after a command's help (addHelpText 'after'). */
function helpAfter(name: string): string {
  let text = '';
  const cmd = program.commands.find((c) => c.name() === name)!;
  cmd.configureOutput({ writeOut: (s) => { text += s; } });
  cmd.outputHelp();
  return text;
}
