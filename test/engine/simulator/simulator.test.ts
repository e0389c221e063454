// The simulator over real HTTP, through the real openai SDK.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { generateReply } from '../../../electron/engine/simulator/generator.ts';
import { RequestLog, startSimulator, type Simulator } from '../../../electron/engine/simulator/index.ts';
import { userMessages } from '../helpers.ts';

let sim: Simulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

function sdk(s: Simulator, apiKey = 'x'): OpenAI {
  return new OpenAI({ baseURL: s.baseURL, apiKey, maxRetries: 0, logLevel: 'off' });
}

async function streamText(client: OpenAI, includeUsage = true): Promise<{ text: string; finish: string | null; usage: number | null }> {
  const stream = await client.chat.completions.create({
    model: 'cairn-simulator', messages: userMessages(), stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
  });
  let text = '';
  let finish: string | null = null;
  let usage: number | null = null;
  for await (const c of stream) {
    text += c.choices[0]?.delta.content ?? '';
    finish = c.choices[0]?.finish_reason ?? finish;
    if (c.usage) usage = c.usage.completion_tokens;
  }
  return { text, finish, usage };
}

describe('simulator', () => {
  it('lists its models and answers without streaming', async () => {
    sim = await startSimulator({ words: 40, models: ['cairn-simulator', 'gpt-4o-mini'] });
    const client = sdk(sim);
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models).toEqual(['cairn-simulator', 'gpt-4o-mini']);
    const res = await client.chat.completions.create({ model: 'cairn-simulator', messages: userMessages() });
    expect(res.choices[0]?.message.content).toBe(generateReply(userMessages(), { words: 40 }));
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage?.prompt_tokens).toBeGreaterThan(10);
  });

  it('streams SSE chunks with a finish_reason, a usage chunk when asked, and [DONE]', async () => {
    sim = await startSimulator({ words: 40 });
    const a = await streamText(sdk(sim));
    expect(a.text).toBe(generateReply(userMessages(), { words: 40 }));
    expect(a.finish).toBe('stop');
    expect(a.usage).toBeGreaterThan(0);
    const entry = sim.log.completions()[0];
    expect(entry?.terminal).toBe(true);
    expect(entry?.done).toBe(true);
    expect(entry?.sent.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(entry?.sent).toContain('"object":"chat.completion.chunk"');
    expect(RequestLog.contentText(entry!)).toBe(a.text);

    const b = await streamText(sdk(sim), false);
    expect(b.text).toBe(a.text);
    expect(b.usage).toBeNull();
    expect(sim.log.completions()[1]?.sent).not.toContain('"usage"');
  });

  it('truncates at max_tokens with finish_reason length', async () => {
    sim = await startSimulator({ words: 40 });
    const res = await sdk(sim).chat.completions.create({ model: 'cairn-simulator', messages: userMessages(), max_tokens: 1 });
    expect(res.choices[0]?.finish_reason).toBe('length');
    expect(res.choices[0]?.message.content).toBe('Findings:\n');
  });

  it('streams at the configured speed: no piece is sent before its turn', async () => {
    sim = await startSimulator({ words: 20, tokensPerSecond: 100 });
    await streamText(sdk(sim));
    // Piece i is due (i + 1) x 10 ms after the request arrived; a busy machine can only make it later, never earlier.
    const entry = sim.log.completions()[0];
    const pieces = entry?.content ?? [];
    expect(pieces.length).toBeGreaterThanOrEqual(18);
    const received = Date.parse(entry!.time);
    pieces.forEach((p, i) => expect(p.at - received, `piece ${i}`).toBeGreaterThanOrEqual((i + 1) * 10 - 1));
  });

  it('schedules faults: next request, the next K, and by predicate', async () => {
    sim = await startSimulator({ words: 10 });
    const client = sdk(sim);
    sim.faults.next({ kind: 'server_error' });
    await expect(streamText(client)).rejects.toMatchObject({ status: 500 });
    await expect(streamText(client)).resolves.toMatchObject({ finish: 'stop' });

    sim.faults.forNext(2, { kind: 'rate_limit', retryAfterSeconds: 3 });
    await expect(streamText(client)).rejects.toMatchObject({ status: 429 });
    await expect(streamText(client)).rejects.toMatchObject({ status: 429 });
    await expect(streamText(client)).resolves.toMatchObject({ finish: 'stop' });

    sim.faults.when((r) => r.text.includes('SPECIAL'), { kind: 'forbidden' });
    await expect(streamText(client)).resolves.toMatchObject({ finish: 'stop' });
    await expect(client.chat.completions.create({ model: 'cairn-simulator', messages: [{ role: 'user', content: 'a SPECIAL one' }] })).rejects.toMatchObject({ status: 403 });
    expect(sim.log.completions().map((e) => e.fault)).toEqual([
      'server_error', null, 'rate_limit', 'rate_limit', null, null, 'forbidden',
    ]);
  });

  it('takes faults and serves its log over the admin endpoint', async () => {
    sim = await startSimulator({ words: 10 });
    const set = await fetch(`${sim.url}/__admin/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ fault: { kind: 'unauthorized' }, times: 1 }] }),
    });
    expect(set.status).toBe(200);
    const bad = await fetch(`${sim.url}/__admin/faults`, { method: 'POST', body: JSON.stringify({ rules: [{ fault: { kind: 'nope' } }] }) });
    expect(bad.status).toBe(400);
    await expect(streamText(sdk(sim))).rejects.toMatchObject({ status: 401 });
    const log = (await (await fetch(`${sim.url}/__admin/log`)).json()) as { entries: Array<{ fault: string | null; status: number }> };
    expect(log.entries.at(-1)).toMatchObject({ fault: 'unauthorized', status: 401 });
  });

  it('requires the configured key and rejects unknown models and over-long prompts', async () => {
    sim = await startSimulator({ words: 10, apiKey: 'sk-right-key-123456', contextTokens: 30 });
    await expect(streamText(sdk(sim, 'sk-wrong-key-123456'))).rejects.toMatchObject({ status: 401 });
    await expect(streamText(sdk(sim, 'sk-right-key-123456'))).rejects.toMatchObject({ status: 400, code: 'context_length_exceeded' });
    await expect(sdk(sim, 'sk-right-key-123456').chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }))
      .rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
