// A follow-up answer cut off (stopped, crashed) leaves a partial. The next
// question is a different call: it must never be stitched onto, or memoised
// with, the cut answer of another question.
import { afterEach, describe, expect, test } from 'vitest';
import { runSession } from '../../../electron/engine/pipeline/analysis.ts';
import { askQuestion } from '../../../electron/engine/pipeline/ask.ts';
import { pipelineEnv, type PipelineEnv } from './helpers.ts';

let env: PipelineEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

describe('a cut follow-up answer', () => {
  test('with the continue policy, a different next question gets its own answer, not the cut one continued', async () => {
    env = await pipelineEnv({ words: 80, tokensPerSecond: 200 }, 4);
    const deps = { store: env.store, owner: 'ask-partial', flushMs: 10 };
    const s = env.store.createSession({ name: 'MSA', config: env.config({ resumePolicy: 'continue' }) });
    expect((await runSession(s.id, deps)).status).toBe('done');

    const cutAnswer = async (question: string): Promise<string> => {
      const stop = new AbortController();
      let cut = '';
      await expect(askQuestion(s.id, question, deps, {
        signal: stop.signal,
        onEvent: (e) => {
          if (e.type !== 'delta') return;
          cut += e.text;
          if (cut.length > 60) stop.abort(new Error('stopped'));
        },
      })).rejects.toMatchObject({ category: 'cancelled' });
      expect(cut.length).toBeGreaterThan(60);
      return cut;
    };

    const cut = await cutAnswer('What notice is needed to terminate?');
    const other = await askQuestion(s.id, 'Which late fees apply?', deps);
    expect(other.answer.startsWith(cut.slice(0, 40))).toBe(false);

    // The same question asked again does continue its own cut answer.
    const cut2 = await cutAnswer('Who pays the invoices?');
    const again = await askQuestion(s.id, 'Who pays the invoices?', deps);
    expect(again.answer.startsWith(cut2.slice(0, 40))).toBe(true);
  });
});
