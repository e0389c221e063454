// First-open race child: loads the store, says READY, waits for GO on stdin so
// every racer opens at the same moment, then opens the data directory the way
// the CLI does (open, recover interrupted sessions, list) and prints OK or ERR.
import fs from 'node:fs';
import { CheckpointStore } from '../../../electron/store/checkpoint-store.ts';

const [dataDir] = process.argv.slice(2) as [string];
fs.writeSync(1, 'READY\n');
process.stdin.once('data', () => {
  try {
    const store = CheckpointStore.open({ dataDir });
    store.recoverInterrupted();
    const listed = store.listSessions({}).items.length;
    const version = store.schemaVersion;
    store.close();
    fs.writeSync(1, `OK ${version} ${listed}\n`);
    process.exit(0);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : 'unknown';
    fs.writeSync(1, `ERR ${code} ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
});
