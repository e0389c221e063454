// Stream-log child: appends small parts (they stay in the stream log, below the
// sync threshold) and prints each after its call returned, then waits to be killed.
import fs from 'node:fs';
import { CheckpointStore } from '../../../electron/store/checkpoint-store.ts';

const [dataDir, sessionId, countArg] = process.argv.slice(2) as [string, string, string];
const store = CheckpointStore.open({ dataDir, streamSync: { fsyncBytes: 1_000_000, fsyncMs: 3_600_000, moveBytes: 1_000_000 } });
for (let i = 0; i < Number(countArg); i += 1) {
  const text = `part ${i}; `;
  store.appendStreamPart(sessionId, 'map:7', 2, text);
  fs.writeSync(1, `P ${text}\n`);
}
fs.writeSync(1, 'WAITING\n');
setInterval(() => undefined, 1_000);
