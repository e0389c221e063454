// The built-in simulator runs in the caller's process (the CLI, the engine
// host), and counting tokens loads the tokenizer there (~100 ms): it counts
// only when a context limit needs the count before answering, and counts usage
// when it sends it, still exactly.
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../../electron/engine/simulator/index.ts';
import { countChatTokens, countTokens } from '../../../electron/engine/tokens.ts';
import type * as Tokens from '../../../electron/engine/tokens.ts';
import { userMessages } from '../helpers.ts';

const counted = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../../electron/engine/tokens.ts', async (importOriginal) => {
  const real = await importOriginal<typeof Tokens>();
  return {
    ...real,
    countChatTokens: (...a: Parameters<typeof real.countChatTokens>) => {
      counted.calls += 1;
      return real.countChatTokens(...a);
    },
    countTokens: (...a: Parameters<typeof real.countTokens>) => {
      counted.calls += 1;
      return real.countTokens(...a);
    },
  };
});

let sim: Simulator | null = null;
beforeEach(() => {
  counted.calls = 0;
});
afterEach(async () => {
  await sim?.close();
  sim = null;
});

const sdk = (s: Simulator) => new OpenAI({ baseURL: s.baseURL, apiKey: 'x', maxRetries: 0, logLevel: 'off' });

describe('simulator token counting', () => {
  it('streams its first token before counting anything, then reports exact usage at the end', async () => {
    // Paced, so the first token reaches the client while the answer is still being sent.
    sim = await startSimulator({ words: 40, tokensPerSecond: 400 });
    const stream = await sdk(sim).chat.completions.create({ model: 'cairn-simulator', messages: userMessages(), stream: true, stream_options: { include_usage: true } });
    let countsAtFirstToken: number | null = null;
    let text = '';
    let usage: OpenAI.CompletionUsage | null = null;
    for await (const c of stream) {
      const piece = c.choices[0]?.delta.content ?? '';
      if (piece && countsAtFirstToken === null) countsAtFirstToken = counted.calls;
      text += piece;
      if (c.usage) usage = c.usage;
    }
    expect(countsAtFirstToken).toBe(0);
    const before = counted.calls;
    expect(usage).toEqual({
      prompt_tokens: countChatTokens(userMessages(), 'cairn-simulator'),
      completion_tokens: countTokens(text, 'cairn-simulator'),
      total_tokens: countChatTokens(userMessages(), 'cairn-simulator') + countTokens(text, 'cairn-simulator'),
    });
    expect(counted.calls).toBeGreaterThan(before);
  });

  it('a stream without a usage chunk counts nothing', async () => {
    sim = await startSimulator({ words: 40 });
    const stream = await sdk(sim).chat.completions.create({ model: 'cairn-simulator', messages: userMessages(), stream: true });
    for await (const c of stream) expect(c.usage ?? null).toBeNull();
    expect(counted.calls).toBe(0);
  });

  it('a context limit is still checked before answering', async () => {
    sim = await startSimulator({ words: 40, contextTokens: 10 });
    const err = await sdk(sim).chat.completions.create({ model: 'cairn-simulator', messages: userMessages(), stream: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');
    expect(counted.calls).toBe(1);
  });
});
