// A provider that states its limits: the run's progress says what it is held to.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../electron/engine/simulator/index.ts';
import { runCli, simArgs, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('limits', 3);
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ words: 15, rateLimits: { requestsPerMinute: 6_000, tokensPerMinute: 3_000_000 } });
  ws.sims.push(sim);
});

describe('provider limits in the CLI', () => {
  it('prints "limited by the provider" once with the limits from the headers; --json carries them as data', async () => {
    const args = ['run', ws.doc, '--task', 'Summarise', '--chunk-tokens', '300', '--concurrency', '2', ...simArgs(sim.baseURL)];
    const r = await runCli(args, { dataDir: join(ws.root, 'plain') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('limited by the provider'))).toEqual(['limited by the provider: 6000 requests/min, 3000k tokens/min']);
    const json = await runCli([...args, '--json'], { dataDir: join(ws.root, 'json') });
    expect(json.events.find((e) => e.type === 'limits')).toMatchObject({ requestsPerMinute: 6_000, tokensPerMinute: 3_000_000, concurrency: 2, maxConcurrency: 2 });
  });
});
