#!/usr/bin/env node
// The `cairn` command. Cairn's engine runs its TypeScript directly on Node 24
// (type stripping). When started by an older Node, re-run with the Node 24 that
// `npm install` put in node_modules, so `./bin/cairn.js` works from any shell.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Set by the launcher for the child it starts: the fd of the pipe whose closing means the launcher is gone. */
const LAUNCHER_FD_ENV = 'CAIRN_LAUNCHER_FD';
const [major, minor] = process.versions.node.split('.').map(Number);
const canStripTypes = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);

if (!canStripTypes) {
  const local = join(here, '..', 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(local)) {
    process.stderr.write(`cairn needs Node 22.18 or newer (this is ${process.versions.node}). Run \`npm install\` in the Cairn folder first; it installs Node 24 for Cairn.\n`);
    process.exit(2);
  }
  // The engine must end with this launcher: the signals a user or a service manager sends here are passed
  // on, and fd 3 is a pipe the child watches, so it pauses cleanly even if this process is SIGKILLed.
  // On POSIX the child gets its own session, so a Ctrl-C in the terminal reaches it once (through here),
  // not twice (a second interrupt means "stop now").
  const { spawn } = await import('node:child_process');
  const child = spawn(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    env: { ...process.env, [LAUNCHER_FD_ENV]: '3' },
    detached: process.platform !== 'win32',
  });
  const forwarded = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const signal of forwarded) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`cairn: could not start ${local}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of forwarded) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
} else {
  const launcherFd = Number(process.env[LAUNCHER_FD_ENV]);
  delete process.env[LAUNCHER_FD_ENV];
  if (Number.isInteger(launcherFd) && launcherFd > 2) {
    // Started by the launcher above: when its end of the pipe closes (it died, even by SIGKILL), stop as a
    // SIGTERM would: the run pauses, keeps what it received, releases its lease and exits.
    const { Socket } = await import('node:net');
    const link = new Socket({ fd: launcherFd, readable: true, writable: false });
    let orphaned = false;
    const onOrphaned = () => {
      if (orphaned) return; // one interrupt: a second means "stop now"
      orphaned = true;
      process.kill(process.pid, 'SIGTERM');
    };
    link.on('end', onOrphaned).on('close', onOrphaned).on('error', onOrphaned).resume();
    link.unref();
  }
  // Reuse compiled (and type-stripped) modules across runs: a resume reaches its first token sooner.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  // `npm run build` also writes the command as one file, which loads in a fraction of the time; it runs
  // only while every file it was built from is unchanged, else the sources do (electron/cli/cli-bundle.ts).
  const { BUNDLE_DIR_NAME, loadCli } = await import('../electron/cli/cli-bundle.ts');
  const { main } = await loadCli(join(here, '..', BUNDLE_DIR_NAME));
  process.exitCode = await main(process.argv.slice(2));
}
