import { describe, expect, it } from 'vitest';
import {
  CONTINUATION_INSTRUCTION, CONTINUATION_OVERLAP_WORDS, extractMarkers, extractPassages, generateAnalysis, generateReply, splitIntoTokens,
} from '../../../electron/engine/simulator/generator.ts';
import { PASSAGE_TEXT, userMessages } from '../helpers.ts';

describe('simulator text generator', () => {
  it('gives the same answer for the same messages and a different one for different messages', () => {
    const a = generateAnalysis(userMessages(), { words: 80 });
    expect(generateAnalysis(userMessages(), { words: 80 })).toBe(a);
    expect(generateAnalysis(userMessages(' Also this.'), { words: 80 })).not.toBe(a);
  });

  it('quotes phrases from the passages and cites their source markers', () => {
    const text = generateAnalysis(userMessages(), { words: 200 });
    expect(text.startsWith('Findings:')).toBe(true);
    const quotes = [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
    expect(quotes.length).toBeGreaterThan(2);
    for (const q of quotes) expect(PASSAGE_TEXT).toContain(q);
    const cited = extractMarkers(text);
    expect(cited.length).toBeGreaterThan(0);
    for (const m of cited) expect(['[p. 3]', '[§ 4.2]', '[p. 7]']).toContain(m);
  });

  it('quotes whole phrases: each quotation starts where a sentence or a clause of it starts', () => {
    const text = generateAnalysis(userMessages(), { words: 400 });
    const starts = PASSAGE_TEXT.replace(/\[[^\]]*\]/g, ' ').split(/(?<=[.!?;:,])\s+|\n+/).map((x) => x.replace(/\s+/g, ' ').trim());
    const quotes = [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
    expect(quotes.length).toBeGreaterThan(5);
    for (const q of quotes) expect(starts.some((st) => st.startsWith(q))).toBe(true);
  });

  it('combining findings, it quotes what the findings quoted, not their lead-ins', () => {
    const findings = 'Findings:\n1. The text states that "the Supplier shall deliver the Services within 30 days" [p. 3]. The wording is specific.\n'
      + '2. The passage notes that "the Customer shall pay each invoice within 30 days of receipt" [§ 4.2]. No exception is given.';
    const text = generateAnalysis([{ role: 'user', content: `Combine these findings.\n"""\n${findings}\n"""` }], { words: 120 });
    const quotes = [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
    expect(quotes.length).toBeGreaterThan(2);
    for (const q of quotes) expect(['the Supplier shall deliver the Services within 30 days', 'the Customer shall pay each invoice within 30 days of receipt'].some((f) => f.startsWith(q))).toBe(true);
  });

  it('strips Markdown bullets, headings, bold and code ticks from what it quotes, and keeps everything else verbatim', () => {
    expect(extractPassages('- **Security Working Group** meets monthly.\n## 4.2 The `snake_case` name __init__ stays as written')).toEqual([
      'Security Working Group meets monthly.', '4.2 The snake_case name __init__ stays as written',
    ]);
  });

  it('respects the requested length and splits into pieces that join back exactly', () => {
    const text = generateAnalysis(userMessages(), { words: 50 });
    const pieces = splitIntoTokens(text);
    expect(pieces.length).toBeLessThanOrEqual(50);
    expect(pieces.length).toBeGreaterThan(20);
    expect(pieces.join('')).toBe(text);
  });

  it('continues its own answer, repeating a few words of overlap', () => {
    const full = generateReply(userMessages(), { words: 60 });
    const pieces = splitIntoTokens(full);
    const partial = pieces.slice(0, 25).join('');
    const rest = generateReply([...userMessages(), { role: 'assistant', content: partial }, { role: 'user', content: CONTINUATION_INSTRUCTION }], { words: 60 });
    expect(rest).toBe(pieces.slice(25 - CONTINUATION_OVERLAP_WORDS).join(''));
  });
});
