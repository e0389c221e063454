// Loss window: SIGKILL a process in the middle of a stream at a known speed;
// the persisted partial must hold everything the simulator sent up to
// flushMs (plus one flush) before the kill.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestLog, type RequestLogEntry } from '../../electron/engine/simulator/index.ts';
import { setup, type TestEnv } from './helpers.ts';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children', 'stream-step.ts');
const FLUSH_MS = 250;
/** One flush (an fsync'd SQLite insert) plus delivery over loopback and event-loop jitter on a shared 2-core machine. */
const ONE_FLUSH_MS = 150;

let env: TestEnv | null = null;
afterEach(async () => {
  await env?.close();
  env = null;
});

async function killMidStream(e: TestEnv, afterPieces: number): Promise<{ killAt: number; entry: RequestLogEntry }> {
  const before = e.sim.log.completions().length;
  const child = spawn(process.execPath, [CHILD, e.dir, e.session.id, e.sim.baseURL, String(FLUSH_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const entry = e.sim.log.completions()[before];
    if (entry && entry.content.length >= afterPieces) {
      const killAt = Date.now();
      child.kill('SIGKILL');
      await exited;
      return { killAt, entry };
    }
    if (Date.now() > deadline) throw new Error(`child never streamed far enough: ${stderr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('loss window after SIGKILL', () => {
  it('keeps everything sent up to flushMs + one flush before the kill', async () => {
    env = await setup({ words: 600, tokensPerSecond: 200 });
    // Three kills at different depths; each restart resumes the interrupted step (restart policy) and is killed again.
    for (const [round, pieces] of [[1, 95], [2, 140], [3, 230]] as const) {
      const { killAt, entry } = await killMidStream(env, pieces);
      const reader = CheckpointStore.open({ dataDir: env.dir });
      const partial = reader.partial(env.session.id, 'map:0');
      reader.close();
      const persisted = partial?.text ?? '';
      const sentAll = RequestLog.contentText(entry);
      const mustHave = RequestLog.contentText(entry, killAt - FLUSH_MS - ONE_FLUSH_MS);
      expect(partial?.attempt, `round ${round}: each resume is a new attempt`).toBe(round);
      expect(sentAll.startsWith(persisted), `round ${round}: persisted text is exactly what was sent`).toBe(true);
      expect(persisted.length, `round ${round}: text sent more than ${FLUSH_MS}+${ONE_FLUSH_MS} ms before the kill is on disk`)
        .toBeGreaterThanOrEqual(mustHave.length);
      expect(mustHave.length).toBeGreaterThan(0);
    }
  });
});
