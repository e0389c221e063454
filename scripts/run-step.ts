// Runs a command with the project's Node first on PATH and returns its exit code.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

export const root = join(import.meta.dirname, '..');

export function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const bin = join(root, 'node_modules', '.bin');
  const nodeDir = dirname(process.execPath);
  return { ...process.env, PATH: [nodeDir, bin, process.env.PATH ?? ''].join(':'), ...extra };
}

export function run(cmd: string, args: string[], opts: { env?: Record<string, string>; quiet?: boolean } = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: projectEnv(opts.env), stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => {
      process.stderr.write(`${cmd}: ${err.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      if (opts.quiet && code !== 0) process.stderr.write(output);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
