import { render } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { splitBlocks, StreamingMarkdown } from '../../../renderer/components/streaming-markdown.tsx';
import { FakeCairn } from '../fake-api.ts';
import { AppProvider } from '../../../renderer/app/context.tsx';

describe('streaming markdown', () => {
  test('splits at blank lines, never inside a code fence, and keeps the growing tail whole', () => {
    expect(splitBlocks('# Title\n\nFirst para\nstill first\n\n- a\n- b\n\nTail grow')).toEqual(['# Title', 'First para\nstill first', '- a\n- b', 'Tail grow']);
    expect(splitBlocks('```\ncode\n\nmore code\n```\n\nafter')).toEqual(['```\ncode\n\nmore code\n```', 'after']);
    expect(splitBlocks('')).toEqual(['']);
    expect(splitBlocks('one block, no newline')).toEqual(['one block, no newline']);
    const text = 'A\n\nB\n\nC';
    expect(splitBlocks(text).join('\n\n')).toBe(text);
  });

  test('finished blocks are not re-rendered as the stream grows', () => {
    const fake = new FakeCairn();
    let text = '## Findings\n\n1. First finding [p. 2]';
    const { container, rerender } = render(<AppProvider api={fake.api()}><StreamingMarkdown text={text} /></AppProvider>);
    const firstHeading = container.querySelector('h2');
    for (let i = 0; i < 20; i++) {
      text += i % 5 === 4 ? '\n\nNext paragraph' : ' more words';
      rerender(<AppProvider api={fake.api()}><StreamingMarkdown text={text} /></AppProvider>);
    }
    // The same DOM node: React kept the memoised block instead of rebuilding it.
    expect(container.querySelector('h2')).toBe(firstHeading);
    expect(container.textContent).toContain('First finding');
    expect(container.textContent?.match(/Next paragraph/g)?.length).toBe(4);
  });

  test('markup in the stream stays text', () => {
    const fake = new FakeCairn();
    const { container } = render(<AppProvider api={fake.api()}><StreamingMarkdown text={'ok\n\n<img src=x onerror=alert(1)> <script>alert(2)</script>'} /></AppProvider>);
    expect(container.querySelector('img, script')).toBeNull();
    expect(container.textContent).toContain('<script>alert(2)</script>');
  });
});

describe('live window', () => {
  test('short streams show whole; long ones show a bounded tail from a line start that moves in steps', async () => {
    const { liveWindow, LIVE_WINDOW } = await import('../../../renderer/components/streaming-markdown.tsx');
    expect(liveWindow('short')).toEqual({ start: 0, text: 'short' });
    const line = 'A finding about clause 12 and its deadline.\n';
    let text = line.repeat(200);
    const w1 = liveWindow(text);
    expect(w1.text.length).toBeLessThanOrEqual(LIVE_WINDOW);
    expect(text[w1.start - 1]).toBe('\n');
    text += 'more';
    expect(liveWindow(text).start).toBe(w1.start); // the same window start between small growths
  });

  test('a long stream without paragraph breaks renders a bounded amount', () => {
    const fake = new FakeCairn();
    const text = 'word '.repeat(40_000);
    const { container } = render(<AppProvider api={fake.api()}><StreamingMarkdown text={text} /></AppProvider>);
    expect((container.textContent ?? '').length).toBeLessThan(8_000);
    expect(container.textContent).toContain('earlier output is saved');
  });
});
