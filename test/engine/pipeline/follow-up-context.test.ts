import { describe, expect, test } from 'vitest';
import { buildAskContext, type Turn } from '../../../electron/engine/pipeline/follow-up-context.ts';
import { rankByQuery } from '../../../electron/engine/pipeline/lexical-rank.ts';
import { countTokens } from '../../../electron/engine/tokens.ts';

const count = (t: string) => countTokens(t, 'gpt-4o');

function turn(i: number): Turn {
  return {
    question: `Question ${i}: what does clause ${i} say about payment deadlines and late fees for the supplier?`,
    answer: `Answer ${i}: ` + 'Clause text explaining obligations, invoices and deadlines in detail. '.repeat(20 + (i % 7) * 5),
  };
}

describe('follow-up context', () => {
  test('a long conversation never exceeds the budget and never splits a pair', () => {
    const history: Turn[] = [];
    const passages = Array.from({ length: 30 }, (_, i) => ({ label: `p. ${i + 1}`, text: `Passage ${i} about fees and termination. `.repeat(30) }));
    for (let i = 0; i < 60; i++) {
      const ctx = buildAskContext({
        task: 'Extract obligations', report: 'Report line with [p. 3] citation. '.repeat(400), passages, history, question: `Follow-up ${i}?`,
        contextTokens: 4_096, reserveTokens: 512, count,
      });
      expect(ctx.tokens).toBeLessThanOrEqual(4_096 - 512);
      const { messages } = ctx;
      // after system, context and acknowledgement: user/assistant pairs, then the question last
      expect(messages[0]!.role).toBe('system');
      const rest = messages.slice(3, -1);
      expect(rest.length % 2).toBe(0);
      for (let j = 0; j < rest.length; j += 2) {
        expect(rest[j]!.role).toBe('user');
        expect(rest[j + 1]!.role).toBe('assistant');
        const original = history.find((h) => h.question === rest[j]!.content);
        expect(original?.answer).toBe(rest[j + 1]!.content);
      }
      expect(messages.at(-1)).toEqual({ role: 'user', content: `Follow-up ${i}?` });
      expect(ctx.keptTurns + ctx.droppedTurns).toBe(history.length);
      // kept turns are the most recent ones
      if (ctx.keptTurns > 0) expect(rest.at(-2)!.content).toBe(history.at(-1)!.question);
      history.push(turn(i));
    }
    const last = buildAskContext({ task: 't', report: 'r', passages: [], history, question: 'q', contextTokens: 4_096, reserveTokens: 512, count });
    expect(last.droppedTurns).toBeGreaterThan(0);
  });

  test('a question longer than the window is refused with a reason', () => {
    expect(() => buildAskContext({ task: 't', report: 'r', passages: [], history: [], question: 'word '.repeat(5_000), contextTokens: 1_000, reserveTokens: 100, count }))
      .toThrow(/longer than the model/);
  });

  test('lexical ranking puts the passage that matches the question first', () => {
    const items = ['The supplier shall pay late fees of 2% per month.', 'Governing law is the law of Ruritania.', 'Termination requires 90 days notice.'];
    const ranked = rankByQuery(items, (x) => x, 'What notice is required for termination?');
    expect(ranked[0]!.item).toBe(items[2]);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });
});
