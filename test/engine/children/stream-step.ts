// Child process for the loss-window test: runs one streamed step against the
// simulator and the real store until the parent SIGKILLs it. It reports every
// write the store acknowledged as a line `saved <attempt> <chars>` (the first
// <chars> characters of that attempt's answer are on disk), so the parent
// decides when to kill by acknowledgements, not by the clock.
// argv: dataDir sessionId baseURL flushMs
import { CheckpointStore } from '../../../electron/store/checkpoint-store.ts';
import { ProviderClient } from '../../../electron/engine/provider/client.ts';
import { StepRunner } from '../../../electron/engine/step-runner.ts';
import { userMessages } from '../helpers.ts';

const [dataDir, sessionId, baseURL, flushMs] = process.argv.slice(2) as [string, string, string, string];
const store = CheckpointStore.open({ dataDir });
const client = new ProviderClient(
  { name: 'Simulator', baseUrl: baseURL, model: 'cairn-simulator', headers: {}, keySource: { kind: 'none' }, simulator: true },
  { apiKey: 'no-key-needed', source: 'none' },
);
const runner = new StepRunner({ store, client, flushMs: Number(flushMs) });
runner.on('saved', (e) => process.stdout.write(`saved ${e.attempt} ${e.chars}\n`));
await runner.run({ sessionId, stepKey: 'map:0', kind: 'map', task: 'List the obligations.', messages: userMessages() });
process.stdout.write('completed\n');
store.close();
