// What a person sees in a terminal, captured by tmux (a real terminal
// emulator): human step labels, log lines above one status area that is
// redrawn in place (the bar last, no template text, no stale bar), warnings
// that name their file once, colours on a TTY and none with NO_COLOR or
// --no-color. The final screen is compared with a stored one
// (CAIRN_UPDATE_SCREENS=1 rewrites it).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { CLI, ROOT, sleep, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('tty', 3);
const SOCKET = `cairn-test-${process.pid}`;
const SCREENS = join(ROOT, 'test', 'cli', 'screens');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

interface Pane { name: string; capture(colours?: boolean): string; done(): Promise<string> }

/** Starts the CLI in a 100×40 tmux pane; the shell prints a marker with the exit code when it ends. */
function inTmux(name: string, args: string[], env: Record<string, string>): Pane {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const vars = Object.entries({ CAIRN_DATA_DIR: join(ws.root, `data-${name}`), ...env }).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
  const cmd = `env -u NO_COLOR -u FORCE_COLOR ${vars} ${quote(process.execPath)} ${quote(CLI)} ${args.map(quote).join(' ')}; echo "[exit $?]"; sleep 600`;
  tmux('new-session', '-d', '-x', '100', '-y', '40', '-s', name, cmd);
  const capture = (colours = false) => tmux('capture-pane', '-p', ...(colours ? ['-e'] : []), '-t', name);
  return {
    name,
    capture,
    async done() {
      for (let i = 0; i < 600; i += 1) {
        const screen = capture();
        if (/\[exit \d+\]/.test(screen)) return screen;
        await sleep(100);
      }
      throw new Error(`the CLI did not end; the pane shows:\n${capture()}`);
    },
  };
}

/** Ids, durations, dates and ports vary from run to run; the rest of the screen must not. */
function normalise(screen: string): string {
  return screen
    .replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '<id>')
    .replace(/\d+(\.\d)?k? tokens, \d+\.\d s/g, 'N tokens, N s')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n+$/, '\n');
}

const ESC = '\u001b[';

describe.runIf(hasTmux)('on a terminal', () => {
  it('steps read as words, the status area redraws cleanly and leaves a clean screen', async () => {
    const sim = await startSimulator({ words: 40, tokensPerSecond: 200 });
    ws.sims.push(sim);
    // A rate limit mid-run puts a countdown in the status area and a warning above it.
    let requests = 0;
    sim.faults.when(() => (requests += 1) === 3, { kind: 'rate_limit', retryAfterSeconds: 1 }, 1);
    const latin1 = join(ws.root, 'notes.txt');
    writeFileSync(latin1, Buffer.from('Notes on the contract: the supplier d\xe9livre monthly.\n', 'latin1'));
    const pane = inTmux('run', ['run', ws.doc, latin1, '--task', 'List every obligation', '--concurrency', '1', '--chunk-tokens', '300', '--base-url', sim.baseURL, '--model', 'cairn-simulator'], { NO_COLOR: '' });

    // While it runs: log lines above, then the current step, then the bar, last.
    let mid = '';
    for (let i = 0; i < 300 && !/▸ Chunk \d+\/\d+/.test(mid); i += 1) {
      await sleep(50);
      mid = pane.capture();
    }
    const lines = mid.split('\n').filter((l) => l.trim());
    expect(lines.at(-1)).toMatch(/^[█░]{24} \d+\/\d+ steps · .*ETA/);
    expect(lines.at(-2)).toMatch(/^(▸ Chunk \d+\/\d+ · § |waiting \d+s: )/);
    expect(lines.filter((l) => /steps ·/.test(l))).toHaveLength(1);

    const screen = await pane.done();
    expect(screen).not.toMatch(/\{tokens\}|\{cost\}|\{remaining\}|0\/1 steps|[█░]{24}/);
    expect(screen).not.toMatch(/map:\d+:|reduce:final/);
    expect(screen).not.toMatch(/notes\.txt: notes\.txt/);
    expect(screen).toMatch(/\[exit 0\]/);
    const file = join(SCREENS, 'run.txt');
    const got = normalise(screen);
    if (process.env.CAIRN_UPDATE_SCREENS === '1' || !existsSync(file)) writeFileSync(file, got);
    expect(got).toBe(readFileSync(file, 'utf8'));
  });

  it('colours statuses on a terminal; NO_COLOR and --no-color turn them off', async () => {
    const sim = await startSimulator({ words: 10 });
    ws.sims.push(sim);
    const run = ['run', ws.doc, '--task', 'Summarise', '--base-url', sim.baseURL, '--model', 'cairn-simulator'];
    const coloured = inTmux('colour', run, {});
    await coloured.done();
    const raw = coloured.capture(true);
    expect(raw).toContain(`${ESC}32m✓`); // green ticks
    expect(raw).toContain(`${ESC}32mDone`);
    const plain = inTmux('no-color', run, { NO_COLOR: '1' });
    await plain.done();
    expect(/\[3\dm/.test(plain.capture(true).replaceAll(ESC, '['))).toBe(false);
    const flag = inTmux('flag', ['--no-color', ...run], {});
    await flag.done();
    expect(/\[3\dm/.test(flag.capture(true).replaceAll(ESC, '['))).toBe(false);
  });
});
