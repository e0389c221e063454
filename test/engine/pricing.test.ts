import { describe, expect, it } from 'vitest';
import { estimateCalls, PriceTable } from '../../electron/engine/pricing.ts';
import { countChatTokens } from '../../electron/engine/tokens.ts';
import { userMessages } from './helpers.ts';

describe('PriceTable', () => {
  it('finds prices by exact id, router prefix and dated variant; the simulator is free', () => {
    const t = new PriceTable();
    expect(t.lookup('gpt-4o')?.inputPerMTok).toBe(2.5);
    expect(t.lookup('openai/gpt-4o-mini')?.model).toBe('gpt-4o-mini');
    expect(t.lookup('gpt-4o-mini-2024-07-18')?.model).toBe('gpt-4o-mini');
    expect(t.lookup('gpt-4o-2024-08-06')?.model).toBe('gpt-4o');
    expect(t.cost('cairn-simulator', 1e6, 1e6)).toMatchObject({ usd: 0, known: true });
    expect(t.cost('llama-3-local', 1e6, 1e6)).toEqual({ usd: 0, known: false, price: null });
  });

  it('computes cost per million tokens and lets user entries override defaults', () => {
    const t = new PriceTable([{ model: 'gpt-4o', inputPerMTok: 1, outputPerMTok: 2, setAt: '2026-11-01' }]);
    expect(t.cost('gpt-4o', 500_000, 250_000).usd).toBeCloseTo(1, 10);
    expect(t.usage('gpt-4o', 1_000_000, 0, true)).toEqual({ inputTokens: 1_000_000, outputTokens: 0, costUsd: 1, estimated: true });
    expect(new PriceTable([], { withDefaults: false }).lookup('gpt-4o')).toBeNull();
  });

  it('estimates a dry run from real token counts', () => {
    const msgs = userMessages();
    const est = estimateCalls('gpt-4o-mini', [{ messages: msgs, expectedOutputTokens: 400 }, { messages: msgs, expectedOutputTokens: 600 }], new PriceTable());
    const input = 2 * countChatTokens(msgs, 'gpt-4o-mini');
    expect(est).toMatchObject({ calls: 2, inputTokens: input, outputTokens: 1_000, priceKnown: true });
    expect(est.costUsd).toBeCloseTo((input * 0.15 + 1_000 * 0.6) / 1e6, 12);
  });
});
