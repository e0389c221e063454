// Child process for the loss-window test: runs one streamed step against the
// simulator and the real store until the parent SIGKILLs it.
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
let announced = false;
runner.on('delta', () => {
  if (!announced) process.stdout.write('streaming\n');
  announced = true;
});
await runner.run({ sessionId, stepKey: 'map:0', kind: 'map', task: 'List the obligations.', messages: userMessages() });
process.stdout.write('completed\n');
store.close();
