// A closed stdout (`cairn sessions | head -1`) is a normal end: exit 0 and
// nothing on stderr. No error prints a stack trace unless --debug asks for one.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { CLI, ROOT, runCli, sessionIdOf, simArgs, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('pipes', 2);

/** Runs the CLI with its stdout's reading end closed before it writes anything, as `| head -0` would. */
function withClosedStdout(args: string[], dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, CAIRN_DATA_DIR: dataDir, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

const STACK = /\n\s+at .*:\d+:\d+/;

describe('pipes', () => {
  it('sessions, timeline and show end 0 and quietly when stdout is closed', async () => {
    const sim = await startSimulator({ words: 20 });
    ws.sims.push(sim);
    const dataDir = join(ws.root, 'data');
    const run = await runCli(['run', ws.doc, '--task', 'Summarise', '--json', ...simArgs(sim.baseURL)], { dataDir });
    expect(run.code, run.stderr).toBe(0);
    const id = sessionIdOf(run);
    for (const args of [['sessions'], ['timeline', id], ['show', id], ['sessions', '--json']]) {
      const r = await withClosedStdout(args, dataDir);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  });

  it('an unexpected error prints one line without --debug and the stack with it', async () => {
    const bad = join(ws.root, 'bad.json');
    writeFileSync(bad, '{"format": "nonsense"}');
    const plain = await runCli(['import-session', bad], { dataDir: join(ws.root, 'data2') });
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toMatch(/^cairn: /);
    expect(plain.stderr).not.toMatch(STACK);
    const debug = await runCli(['--debug', 'import-session', bad], { dataDir: join(ws.root, 'data2') });
    expect(debug.stderr).toMatch(STACK);
    expect(debug.code).toBe(plain.code);
  });
});
