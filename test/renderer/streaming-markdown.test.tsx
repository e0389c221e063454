import { render } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { splitBlocks, StreamingMarkdown } from '../../renderer/components/streaming-markdown.tsx';
import { FakeCairn } from './fake-api.ts';
import { AppProvider } from '../../renderer/app/context.tsx';

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
