// Loss window: SIGKILL a process in the middle of a stream. What the store
// acknowledged before the kill must be on disk, exactly as it was sent, for a
// first attempt and for every resume (each a new attempt of the step, restart
// policy). Kills are placed by the child's acknowledgements and the
// simulator's request log, never by the clock; the time figures (how much
// stream time a kill costs) are measured by `npm run bench` (loss window).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestLog, type RequestLogEntry } from '../../electron/engine/simulator/index.ts';
import { setup, type TestEnv } from './helpers.ts';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children', 'stream-step.ts');
const FLUSH_MS = 250;
/** 20 s of stream: no attempt can end before its kill, however late a loaded machine lets the test read the child. */
const LONG = { words: 4_000, tokensPerSecond: 200 };

let env: TestEnv | null = null;
afterEach(async () => {
  await env?.close();
  env = null;
});

interface Ack { attempt: number; chars: number }

/**
 * Starts the child on the session's step and SIGKILLs it once it has reported
 * `acks` acknowledged writes of one attempt (or `until` says so); returns what it
 * reported and the simulator's log entry of its request.
 */
async function runUntil(e: TestEnv, until: (acks: Ack[], entry: RequestLogEntry | undefined) => boolean): Promise<{ acks: Ack[]; entry: RequestLogEntry }> {
  const before = e.sim.log.completions().length;
  const child = spawn(process.execPath, [CHILD, e.dir, e.session.id, e.sim.baseURL, String(FLUSH_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const acks: Ack[] = [];
  let buffered = '';
  let killed = false;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdout.on('data', (b: Buffer) => {
    buffered += b.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const m = /^saved (\d+) (\d+)$/.exec(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      if (m) acks.push({ attempt: Number(m[1]), chars: Number(m[2]) });
      if (!killed && until(acks, e.sim.log.completions()[before])) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  });
  const code = await exited;
  if (!killed) throw new Error(`the child ended (${code}) before it was killed: ${stderr}`);
  const entry = e.sim.log.completions()[before];
  if (!entry) throw new Error(`the child never sent its request: ${stderr}`);
  return { acks, entry };
}

function partialOnDisk(e: TestEnv): { text: string; attempt: number } | null {
  const reader = CheckpointStore.open({ dataDir: e.dir });
  try {
    return reader.partial(e.session.id, 'map:0');
  } finally {
    reader.close();
  }
}

/** How many of the request's pieces the first `chars` characters of its answer hold. */
function piecesIn(entry: RequestLogEntry, chars: number): number {
  let n = 0;
  let len = 0;
  for (const p of entry.content) {
    len += p.text.length;
    if (len > chars) break;
    n += 1;
  }
  return n;
}

describe('loss window after SIGKILL', () => {
  it('keeps what the store acknowledged, for a first attempt and three resumes in a row', async () => {
    env = await setup(LONG);
    for (const round of [1, 2, 3, 4]) {
      const { acks, entry } = await runUntil(env, (a) => a.filter((x) => x.attempt === round).length >= 2 + round);
      const own = acks.filter((a) => a.attempt === round);
      expect(own.length, `round ${round}: each resume is a new attempt (acks: ${JSON.stringify(acks)})`).toBeGreaterThanOrEqual(2 + round);
      const last = own.at(-1) as Ack;
      const partial = partialOnDisk(env);
      const persisted = partial?.text ?? '';
      expect(partial?.attempt, `round ${round}: the partial on disk is this attempt's`).toBe(round);
      expect(RequestLog.contentText(entry).startsWith(persisted), `round ${round}: what is on disk is exactly what was sent`).toBe(true);
      expect(persisted.length, `round ${round}: everything the store acknowledged is on disk`).toBeGreaterThanOrEqual(last.chars);
    }
  });

  it('a resumed attempt writes a burst that arrived at once as one write, not only its first piece', async () => {
    env = await setup(LONG);
    await runUntil(env, (a) => a.length >= 2);
    // The resumed attempt's answer arrives as a burst of 40 pieces, then the stream stalls: by the time the
    // resumed attempt writes, all 40 have arrived.
    env.sim.configure({ tokensPerSecond: 0 });
    env.sim.setFaults([{ fault: { kind: 'stall', afterChunks: 40 } }]);
    const { acks, entry } = await runUntil(env, (a) => a.some((x) => x.attempt === 2));
    const first = acks.find((a) => a.attempt === 2) as Ack;
    expect(entry.content).toHaveLength(40);
    expect(piecesIn(entry, first.chars), `the resumed attempt's first write (${first.chars} characters)`).toBe(40);
    expect(partialOnDisk(env)?.text.length).toBeGreaterThanOrEqual(first.chars);
  });
});
