// Shell completion: `cairn completion bash|zsh|fish` prints a script that asks
// `cairn __complete` for commands, flags, session, checkpoint and backup ids
// from the data dir. The bash script is run in a real bash.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { CLI, jsonOf, runCli, sessionIdOf, simArgs, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('completion', 1);
let dataDir: string;
let id: string;
let checkpoint: string;
let backup: string;

beforeAll(async () => {
  const sim = await startSimulator({ words: 10 });
  ws.sims.push(sim);
  dataDir = join(ws.root, 'data');
  id = sessionIdOf(await runCli(['run', ws.doc, '--task', 'Summarise', '--json', ...simArgs(sim.baseURL)], { dataDir }));
  checkpoint = jsonOf<{ items: Array<{ id: string }> }>(await runCli(['timeline', id, '--json'], { dataDir })).items[0]!.id;
  backup = jsonOf<{ id: string }>(await runCli(['backup', 'create', '--json'], { dataDir })).id;
});

const complete = async (...words: string[]) => (await runCli(['__complete', '--', ...words], { dataDir })).stdout.split('\n').filter(Boolean);

describe('completion', () => {
  it('completes commands, flags, choices and ids from the data dir', async () => {
    expect(await complete('ro')).toEqual(['rollback']);
    expect(await complete('')).toEqual(expect.arrayContaining(['run', 'resume', 'sessions', 'completion']));
    expect(await complete('')).not.toContain('__complete');
    expect(await complete('run', '--chu')).toEqual(['--chunk-tokens']);
    expect(await complete('export', id, '--format', '')).toEqual(['md', 'json', 'html']);
    expect(await complete('sessions', '--status', 'in')).toEqual(['interrupted']);
    expect(await complete('show', '')).toEqual([id]);
    expect(await complete('show', id.slice(0, 4))).toEqual([id]);
    expect(await complete('rollback', id, '--to', '')).toContain(checkpoint);
    expect(await complete('backup', '')).toEqual(['create', 'list', 'verify', 'restore', 'prune']);
    expect(await complete('backup', 'verify', '')).toEqual([backup]);
    expect(await complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('prints a script for each shell; the bash one completes in bash', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await runCli(['completion', shell], { dataDir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('__complete');
    }
    const script = join(ws.root, 'cairn.bash');
    writeFileSync(script, (await runCli(['completion', 'bash'], { dataDir })).stdout);
    // `cairn` on PATH is the command under test.
    const bin = join(ws.root, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'cairn'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`, { mode: 0o755 });
    const r = spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(cairn show ''); COMP_CWORD=2; _cairn; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CAIRN_DATA_DIR: dataDir }, encoding: 'utf8',
    });
    expect(r.stdout.trim().split('\n')).toEqual([id]);
  });
});
