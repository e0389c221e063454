// Disk-full child: runs under a small RLIMIT_FSIZE (set by the parent with
// `ulimit -S -f`), writes until the store refuses, prints each committed id and
// then the typed error code. Node ignores SIGXFSZ, so writes fail with EFBIG.
import fs from 'node:fs';
import { CheckpointStore } from '../../../electron/store/checkpoint-store.ts';
import { StoreError } from '../../../electron/store/errors.ts';
import { config } from '../helpers.ts';

const [dataDir, mode] = process.argv.slice(2) as [string, 'write' | 'commit' | 'backup'];
const say = (line: string): void => {
  fs.writeSync(1, `${line}\n`);
};
const store = CheckpointStore.open({ dataDir });
const session = store.listSessions().items[0] ?? store.createSession({ name: 'full', config });
const usage = { inputTokens: 1, outputTokens: 1, costUsd: 0, estimated: false };
try {
  for (let i = 0; i < 10_000; i += 1) {
    if (mode === 'write') {
      store.appendStreamPart(session.id, `s${i}`, 0, `${i} `.repeat(2_000));
      say(`P s${i}`);
    } else if (mode === 'commit') {
      const cp = store.completeStep(session.id, { stepKey: `c${i}`, attempt: 0, kind: 'map', memoKey: `full-${i}`, usage, output: `${i} `.repeat(3_000) });
      say(`C ${cp.id}`);
    } else {
      const b = await store.createBackup({ reason: 'fault' });
      say(`B ${b.id}`);
    }
  }
  say('NO-ERROR');
} catch (err) {
  say(`ERR ${err instanceof StoreError ? err.code : `untyped ${String(err)}`}`);
  // the same process keeps working for reads after the fault
  say(`READ ${store.getSession(session.id).id === session.id ? 'ok' : 'bad'}`);
}
store.close();
