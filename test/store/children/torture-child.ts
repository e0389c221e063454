// Crash-torture child: writes as fast as it can and prints each id only after
// the call that committed it has returned. The parent SIGKILLs it at random.
import fs from 'node:fs';
import { CheckpointStore } from '../../../electron/store/checkpoint-store.ts';
import { config } from '../helpers.ts';

const [dataDir, seedArg] = process.argv.slice(2) as [string, string];
let seed = Number(seedArg) || 1;
const rand = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const say = (line: string): void => {
  fs.writeSync(1, `${line}\n`);
};
const usage = { inputTokens: 5, outputTokens: 7, costUsd: 0.0001, estimated: false };

// Small thresholds move parts from the stream log into the database every few parts, and fsync the log
// every other part, so kills land in those moves and syncs too.
const store = CheckpointStore.open({ dataDir, appVersion: 'torture', streamSync: { fsyncBytes: 100, fsyncMs: 30_000, moveBytes: 40 } });
const existing = store.listSessions({ limit: 1 }).items[0];
const session = existing ?? store.createSession({ name: 'torture', config });
if (!existing) {
  // A large first text makes backups take several steps, so kills land inside them.
  store.appendCheckpoint(session.id, { kind: 'session', output: 'x'.repeat(1_500_000) });
}
say(`READY ${session.id}`);

let step = 0;
async function loop(): Promise<void> {
  for (;;) {
    const r = rand();
    const key = `step:${process.pid}:${step++}`;
    if (r < 0.35) {
      const cp = store.appendCheckpoint(session.id, { kind: 'note', state: { r }, output: `note ${r}` });
      say(`C ${cp.id}`);
    } else if (r < 0.75) {
      for (let p = 0; p < 3; p += 1) {
        const text = `part ${p} of ${key};`;
        store.appendStreamPart(session.id, key, 0, text);
        say(`P ${key} ${text.length}`);
      }
      say('S-start');
      const cp = store.completeStep(session.id, { stepKey: key, attempt: 0, kind: 'map', memoKey: `memo-${key.replace(/:/g, '-')}`, usage });
      say(`S ${cp.id} ${key}`);
    } else if (r < 0.9) {
      const path = store.headPath(session.id);
      const target = path[Math.floor(rand() * path.length)];
      if (target) {
        say('R-start');
        const result = store.rollback(session.id, target.id);
        say(`R ${target.id} ${result.backupId ?? ''}`);
      }
    } else {
      say('B-start');
      const pending = store.createBackup({ reason: 'torture' });
      let during = 0;
      let done = false;
      void pending.then(() => { done = true; }, () => { done = true; });
      while (!done) {
        const cp = store.appendCheckpoint(session.id, { kind: 'note', state: { during } });
        say(`C ${cp.id}`);
        during += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const info = await pending;
      say(`B ${info.id}`);
    }
    if (step % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}
void loop();
