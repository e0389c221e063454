// Drives the real `cairn` command as a child process: a temp data dir per
// test, NDJSON events read line by line as they arrive (each stamped with the
// moment the test read it), and a simulator that lives in the test process so
// its request log survives every CLI restart.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { SettingsSchema, type Settings } from '../../shared/settings.ts';
import type { Simulator } from '../../electron/engine/simulator/index.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = join(ROOT, 'bin', 'cairn.js');
export const SAMPLE = join(ROOT, 'samples', 'master-services-agreement.md');
export const TASK = 'List every obligation with its deadline and the party that owes it';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (!(major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18))) {
  // bin/cairn.js would re-spawn itself on an older Node, and a SIGKILL would then miss the real process.
  throw new Error(`The CLI tests need the Node 24 from node_modules (run them with npx vitest); this is ${process.versions.node}.`);
}

export interface CliEvent {
  type: string;
  /** Date.now() when the test read the line. */
  readAt: number;
  [key: string]: unknown;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: CliEvent[];
}

export interface CliProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Events so far (grows while the process runs). */
  events: CliEvent[];
  /** Resolves with the first event (seen so far or later) that `pred` accepts; rejects if the process ends first. */
  waitFor(pred: (e: CliEvent) => boolean, timeoutMs?: number): Promise<CliEvent>;
  exited: Promise<CliResult>;
}

export interface CliOptions {
  dataDir: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Run the CLI as this user (the test process must be root to switch). */
  user?: { uid: number; gid: number };
}

export function startCli(args: string[], opts: CliOptions): CliProcess {
  const env: Record<string, string | undefined> = { ...process.env, CAIRN_DATA_DIR: opts.dataDir, NO_COLOR: '1', ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], ...opts.user });
  const events: CliEvent[] = [];
  const waiters = new Set<{ pred: (e: CliEvent) => boolean; resolve: (e: CliEvent) => void }>();
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    const readAt = Date.now();
    stdout += text;
    pending += text;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line.trim().startsWith('{')) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // a line cut by SIGKILL
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) continue;
      const event = { ...(parsed as Record<string, unknown>), readAt } as CliEvent;
      events.push(event);
      for (const w of waiters) {
        if (w.pred(event)) {
          waiters.delete(w);
          w.resolve(event);
        }
      }
    }
  });
  child.stderr.on('data', (text: string) => {
    stderr += text;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 45_000);
  const exited = new Promise<CliResult>((resolveExit) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolveExit({ code, signal, stdout, stderr, events });
    });
  });
  const waitFor = (pred: (e: CliEvent) => boolean, timeoutMs = 30_000): Promise<CliEvent> => {
    const seen = events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise<CliEvent>((resolveWait, reject) => {
      const w = { pred, resolve: (e: CliEvent) => { clearTimeout(t); resolveWait(e); } };
      const t = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`no matching event within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
      }, timeoutMs);
      waiters.add(w);
      void exited.then((r) => {
        if (!waiters.has(w)) return;
        waiters.delete(w);
        clearTimeout(t);
        reject(new Error(`the CLI ended (code ${r.code}, signal ${r.signal}) before the awaited event; stderr: ${r.stderr.slice(-2000)}`));
      });
    });
  };
  return { child, events, waitFor, exited };
}

export function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  return startCli(args, opts).exited;
}

/** The one JSON value a non-streaming `--json` command prints. */
export function jsonOf<T = Record<string, unknown>>(r: CliResult): T {
  const line = r.stdout.trim().split('\n').filter((l) => l.trim()).at(-1);
  if (!line) throw new Error(`no JSON on stdout (code ${r.code}); stderr: ${r.stderr}`);
  return JSON.parse(line) as T;
}

export function lastEvent(r: CliResult): CliEvent {
  const e = r.events.at(-1);
  if (!e) throw new Error(`no events (code ${r.code}); stderr: ${r.stderr.slice(-2000)}`);
  return e;
}

export function sessionIdOf(r: { events: CliEvent[] }): string {
  const e = r.events.find((x) => x.type === 'session');
  if (!e || typeof e.id !== 'string') throw new Error('the CLI printed no session event');
  return e.id;
}

export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `cairn-cli-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A test file's workspace: a temp folder with a generated contract of `sections`
 * sections, and the simulators the file starts, all removed after its tests.
 */
export function useCliWorkspace(label: string, sections: number): { readonly root: string; readonly doc: string; sims: Simulator[] } {
  let t: { dir: string; cleanup: () => void } | null = null;
  const sims: Simulator[] = [];
  beforeAll(() => {
    t = tempDir(label);
    writeFileSync(join(t.dir, 'contract.md'), contractMarkdown(sections));
  });
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
    t?.cleanup();
  });
  const dir = () => {
    if (!t) throw new Error('the workspace exists inside tests only');
    return t.dir;
  };
  return {
    get root() { return dir(); },
    get doc() { return join(dir(), 'contract.md'); },
    sims,
  };
}

/** Writes config.json in the data dir, checked against the settings schema the CLI uses. */
export function writeSettings(dataDir: string, patch: Partial<Settings>): void {
  const settings = SettingsSchema.parse(patch);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(settings, null, 2));
}

/** Every regular file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

/** Files under `dir` whose bytes contain `needle` (as UTF-8 or UTF-16LE). */
export function filesContaining(dir: string, needle: string): string[] {
  const utf8 = Buffer.from(needle, 'utf8');
  const utf16 = Buffer.from(needle, 'utf16le');
  return filesUnder(dir).filter((f) => {
    const bytes = readFileSync(f);
    return bytes.includes(utf8) || bytes.includes(utf16);
  });
}

/** Arguments that point the CLI at a simulator running in the test process. */
export function simArgs(baseURL: string): string[] {
  return ['--base-url', baseURL, '--model', 'cairn-simulator'];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface TtyProcess {
  /** Everything the terminal showed so far (raw, with escape sequences). */
  screen(): string;
  write(text: string): void;
  /** Resolves once the raw output matches `re`. */
  waitForText(re: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; output: string }>;
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), `cols` wide, so it
 * sees a TTY on stdin and stdout as a person's terminal would be.
 */
export function startCliInTty(args: string[], opts: CliOptions & { cols?: number }): TtyProcess {
  const env: Record<string, string | undefined> = { ...process.env, CAIRN_DATA_DIR: opts.dataDir, TERM: 'xterm-256color', NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols ${opts.cols ?? 100} rows 40; exec ${[process.execPath, CLI, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const watchers = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    output += t;
    for (const w of watchers) w();
  });
  child.stderr.resume();
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 45_000);
  const exited = new Promise<{ code: number | null; output: string }>((resolveExit) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolveExit({ code, output });
    });
  });
  return {
    screen: () => output,
    write: (text) => child.stdin.write(text),
    waitForText: (re, timeoutMs = 30_000) => new Promise<void>((resolveWait, reject) => {
      const check = () => {
        if (!re.test(output)) return;
        watchers.delete(check);
        clearTimeout(t);
        resolveWait();
      };
      const t = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`the terminal never showed ${re}; it shows:\n${output.slice(-2000)}`));
      }, timeoutMs);
      watchers.add(check);
      check();
    }),
    exited,
  };
}
