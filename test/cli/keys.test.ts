// Key hygiene through the CLI: the key reaches the provider and nothing else.
// Not stdout, not stderr, not the database, its WAL, a backup or settings;
// not even a wrong key that the provider echoes back in its 401.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { useCliWorkspace, filesContaining, filesUnder, jsonOf, lastEvent, runCli, sessionIdOf, simArgs, sleep, startCli, type CliResult } from './helpers.ts';

const KEY = `sk-cairn-test-${randomBytes(12).toString('hex')}`;
const WRONG = `sk-cairn-wrong-${randomBytes(12).toString('hex')}`;
const VAR = 'CAIRN_TEST_KEY';

const ws = useCliWorkspace('keys', 3);

/** A provider that accepts only KEY; one per test so the tests can run side by side. */
async function provider(): Promise<Simulator> {
  const sim = await startSimulator({ apiKey: KEY, words: 200, tokensPerSecond: 400 });
  ws.sims.push(sim);
  return sim;
}

const args = (sim: Simulator) => ['run', ws.doc, '--task', 'Find every obligation', '--chunk-tokens', '300', '--concurrency', '2', ...simArgs(sim.baseURL), '--api-key-env', VAR];

function expectNoSecret(outputs: CliResult[], dataDir: string, secret: string): void {
  for (const r of outputs) {
    expect(r.stdout.includes(secret), 'stdout').toBe(false);
    expect(r.stderr.includes(secret), 'stderr').toBe(false);
  }
  expect(filesContaining(dataDir, secret)).toEqual([]);
}

describe.concurrent('API keys', () => {
  it('the key is sent to the provider and appears in no output, database, WAL or backup', async () => {
    const sim = await provider();
    const dataDir = join(ws.root, 'good');
    const env = { [VAR]: KEY };
    const outputs: CliResult[] = [];

    // Killed mid-stream first, so the WAL and a partial stream are on disk when the data dir is searched.
    const proc = startCli([...args(sim), '--json'], { dataDir, env });
    await proc.waitFor((e) => e.type === 'delta');
    await sleep(300);
    proc.child.kill('SIGKILL');
    outputs.push(await proc.exited);
    const id = sessionIdOf(outputs[0]!);
    const files = filesUnder(dataDir).map((f) => f.slice(dataDir.length + 1));
    expect(files.some((f) => f.endsWith('-wal')), `a WAL file is there to be searched: ${files.join(', ')}`).toBe(true);
    expectNoSecret(outputs, dataDir, KEY);

    sim.configure({ tokensPerSecond: 0 });
    const resumed = await runCli(['resume', id, '--json'], { dataDir, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    outputs.push(resumed);
    outputs.push(await runCli(['run', ...args(sim).slice(1)], { dataDir, env })); // the human-readable output too
    expect(outputs.at(-1)?.code, outputs.at(-1)?.stderr).toBe(0);
    outputs.push(await runCli(['show', id, '--json'], { dataDir, env }));
    outputs.push(await runCli(['backup', 'create', '--json'], { dataDir, env }));
    expect(jsonOf(outputs.at(-1)!)).toMatchObject({ verified: 'ok' });
    outputs.push(await runCli(['export', id, '--format', 'json', '--out', join(dataDir, 'export.json')], { dataDir, env }));

    // Every request carried the key (the simulator rejects anything else), so the runs really used it.
    const completions = sim.log.completions();
    expect(completions.length).toBeGreaterThan(0);
    expect(completions.every((e) => e.status !== 401)).toBe(true);
    expect(filesUnder(dataDir).some((f) => f.includes('backup'))).toBe(true);
    expectNoSecret(outputs, dataDir, KEY);
    // The session records where the key comes from, never the key.
    expect(filesContaining(dataDir, VAR).length).toBeGreaterThan(0);
  });

  it('a rejected key stops the run with exit 3, naming the provider and the key source, and is never shown', async () => {
    const sim = await provider();
    const dataDir = join(ws.root, 'wrong');
    const before = sim.log.completions().length;
    const text = await runCli(args(sim), { dataDir, env: { [VAR]: WRONG } });
    expect(text.code, text.stderr).toBe(3);
    expect(text.stderr).toMatch(new RegExp(`The API key from environment variable ${VAR} was rejected by 127\\.0\\.0\\.1:${sim.port} \\(401\\)`));
    expect(text.stderr).toMatch(new RegExp(`Replace the key in environment variable ${VAR}`));
    // The simulator echoed the wrong key in its error body, as some providers do.
    const rejected = sim.log.completions().slice(before).filter((e) => e.status === 401);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]!.sent).toContain(WRONG);

    const json = await runCli([...args(sim), '--json'], { dataDir, env: { [VAR]: WRONG } });
    expect(json.code).toBe(3);
    expect(lastEvent(json)).toMatchObject({ type: 'paused', exitCode: 3, reason: { message: expect.stringMatching(/rejected by .*\(401\)/) } });
    const show = await runCli(['show', sessionIdOf(json), '--json'], { dataDir });
    expect(jsonOf<{ status: string }>(show).status).toBe('paused');

    const missing = await runCli(args(sim), { dataDir, env: { [VAR]: undefined } });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(new RegExp(`environment variable ${VAR} is not set`));

    expectNoSecret([text, json, show, missing], dataDir, WRONG);
    expectNoSecret([text, json, show, missing], dataDir, KEY);
  });
});
