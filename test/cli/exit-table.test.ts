// Every exit code in the README's table, produced by the real command, with
// the message that goes with it: errors say what failed, in words about what
// the user gave (a flag, a file, a folder, a server), and hints name commands.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { jsonOf, lastEvent, ROOT, runCli, simArgs, startCli, useCliWorkspace, writeSettings, type CliResult } from './helpers.ts';

const ws = useCliWorkspace('exit-table', 3);
const data = (name: string) => join(ws.root, name);

/** The exit codes the README's table lists, in its order. */
function readmeExitCodes(): number[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| exit | means |'));
  const lines = table.split('\n').slice(2);
  const rows = lines.slice(0, lines.findIndex((l) => !l.startsWith('|')));
  return rows.map((l) => Number(/^\| `(\d+)`/.exec(l)?.[1]));
}

const STACK = /\n\s+at .*:\d+:\d+/;

/** A scenario per exit code: what to run, and what the message must say. */
const scenarios: Record<number, () => Promise<Array<{ r: CliResult; says: RegExp }>>> = {
  0: async () => [{ r: await runCli(['sessions'], { dataDir: data('empty') }), says: /No sessions yet/ }],
  1: async () => {
    const dir = data('damaged-backup');
    const made = jsonOf<{ id: string }>(await runCli(['backup', 'create', '--json'], { dataDir: dir }));
    const file = join(dir, 'backups', `${made.id}.db`);
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 100, 8192);
    writeFileSync(file, bytes);
    return [{ r: await runCli(['backup', 'verify', made.id], { dataDir: dir }), says: /failed/ }];
  },
  2: async () => [
    { r: await runCli(['run', ws.doc, '--task', 'Summarise', '--chunk-tokens', '300000'], { dataDir: data('flags') }), says: /^cairn: --chunk-tokens must be a whole number from 64 to 200000 \(got "300000"\)\.\n/ },
    { r: await runCli(['run', ws.doc, '--task', 'Summarise', '--concurrency', '0'], { dataDir: data('flags') }), says: /--concurrency must be a whole number from 1 to 32 \(got "0"\)/ },
    { r: await runCli(['import-session', 'nope.json'], { dataDir: data('flags') }), says: /nope\.json: no such file/ },
  ],
  3: async () => {
    const file = data('a-file');
    writeFileSync(file, 'not a folder');
    return [
      { r: await runCli(['sessions'], { dataDir: file }), says: /cannot use .*a-file as its data directory: it, or a folder on its path, is a file, not a folder\.\n {2}Point --data-dir \(or CAIRN_DATA_DIR\) at a folder/ },
      { r: await runCli(['sessions'], { dataDir: join(file, 'below') }), says: /is a file, not a folder[\s\S]*--data-dir/ },
      // /sys refuses new folders (EPERM) on Linux, even to root.
      { r: await runCli(['sessions'], { dataDir: '/sys/cairn-nowhere/data' }), says: /cannot use \/sys\/cairn-nowhere\/data as its data directory: your user may not create it[\s\S]*--data-dir/ },
    ];
  },
  4: async () => {
    const gone = await startSimulator();
    const port = gone.port;
    await gone.close();
    const dir = data('refused');
    mkdirSync(dir, { recursive: true });
    // Short waits keep the test quick; the schedule for an unreachable server is shorter still.
    writeSettings(dir, { retry: { maxAttempts: 8, baseMs: 20, capMs: 100, stallMs: 60_000 } });
    const args = ['run', ws.doc, '--task', 'Summarise', '--chunk-tokens', '400', '--concurrency', '1', '--base-url', `http://127.0.0.1:${port}/v1`, '--model', 'm'];
    const json = await runCli([...args, '--json'], { dataDir: dir });
    const attempts = json.events.filter((e) => e.type === 'attempt');
    expect(attempts.length, 'a few tries, then the run pauses: every passage would fail the same way').toBe(4);
    expect(lastEvent(json)).toMatchObject({ type: 'paused', exitCode: 4, reason: { code: 'transient:unreachable' } });
    const plain = await runCli(args, { dataDir: dir });
    const nothing = `Nothing is listening at 127\\.0\\.0\\.1:${port} — is the server \\(Ollama, LM Studio, vLLM\\) running\\?`;
    return [
      { r: json, says: new RegExp(nothing) },
      { r: plain, says: new RegExp(`Paused: .*${nothing}[\\s\\S]*cairn resume [0-9A-Z]{26}`) },
    ];
  },
  130: async () => {
    const sim = await startSimulator({ words: 400, tokensPerSecond: 40 });
    ws.sims.push(sim);
    const proc = startCli(['run', ws.doc, '--task', 'Summarise', '--json', ...simArgs(sim.baseURL)], { dataDir: data('interrupted') });
    await proc.waitFor((e) => e.type === 'delta');
    proc.child.kill('SIGINT');
    return [{ r: await proc.exited, says: /"exitCode":130/ }];
  },
};

describe('every exit code in the README table', () => {
  it('lists exactly the codes the CLI uses', () => {
    expect(readmeExitCodes()).toEqual([0, 1, 2, 3, 4, 130]);
  });

  it.concurrent.each(readmeExitCodes())('exit %i', async (code) => {
    const scenario = scenarios[code];
    expect(scenario, `a scenario for exit ${code}`).toBeDefined();
    for (const { r, says } of await scenario!()) {
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(code);
      expect(r.stdout + r.stderr).toMatch(says);
      expect(r.stderr).not.toMatch(STACK);
    }
  });
});
