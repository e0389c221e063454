// Child of the loss-window benchmark: streams one step from the simulator
// through the real step runner into the real store until the parent SIGKILLs it.
// argv: dataDir sessionId baseURL flushMs
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { createProviderClient } from '../../electron/engine/provider/client.ts';
import { StepRunner } from '../../electron/engine/step-runner.ts';
import { samplePrompt } from '../lib/fixtures.ts';
import { simulatorProfileAt } from '../../shared/providers.ts';

const [dataDir, sessionId, baseURL, flushMs] = process.argv.slice(2) as [string, string, string, string];
const store = CheckpointStore.open({ dataDir });
const client = await createProviderClient(simulatorProfileAt(baseURL));
const runner = new StepRunner({ store, client, flushMs: Number(flushMs) });
await runner.run({ sessionId, stepKey: 'map:0', kind: 'map', task: 'loss window', messages: samplePrompt(4_000, ` (${sessionId})`) });
process.stdout.write('completed\n');
store.close();
