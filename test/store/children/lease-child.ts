// Lease race child: waits for a shared start time, tries to take the lease,
// prints GOT or DENIED; a holder keeps heartbeating until it is killed.
import fs from 'node:fs';
import { CheckpointStore } from '../../../electron/store/checkpoint-store.ts';

const [dataDir, sessionId, owner, startAt] = process.argv.slice(2) as [string, string, string, string];
const store = CheckpointStore.open({ dataDir });
const wait = Number(startAt) - Date.now();
setTimeout(() => {
  const lease = store.acquireLease(sessionId, owner);
  fs.writeSync(1, `${lease ? 'GOT' : 'DENIED'} ${owner}\n`);
  if (!lease) {
    store.close();
    return;
  }
  setInterval(() => store.heartbeat(sessionId, owner), 1_000);
}, Math.max(0, wait));
