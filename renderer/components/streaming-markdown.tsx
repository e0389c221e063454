// Live output grows by a few words every paint. Re-parsing the whole text each
// time costs O(length) per paint and O(length²) per stream, which stalls the
// page on long answers. So the text is cut into blocks at blank lines (never
// inside a code fence): finished blocks are memoised and never re-rendered;
// only the last, growing block is parsed again. The final answer, once done,
// is rendered whole by SafeMarkdown as usual.
import { memo } from 'react';
import { SafeMarkdown } from './safe-markdown.tsx';

/** Splits Markdown into blocks at blank lines outside ``` / ~~~ fences. The last block may be unfinished. */
export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let start = 0;
  let fenced = false;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(lineStart, end);
    if (/^\s{0,3}(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced && line.trim() === '' && nl !== -1 && lineStart > start) {
      // The block ends before the newline that precedes the blank line.
      const block = text.slice(start, lineStart - 1);
      if (block.trim()) blocks.push(block);
      start = nl + 1;
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  const rest = text.slice(start);
  if (rest.trim() || blocks.length === 0) blocks.push(rest);
  return blocks;
}

const Block = memo(function Block({ text }: { text: string }) {
  return <SafeMarkdown text={text} />;
});

export function StreamingMarkdown({ text }: { text: string }) {
  const blocks = splitBlocks(text);
  return (
    <div className="streaming-markdown">
      {blocks.map((b, i) => <Block key={i} text={b} />)}
    </div>
  );
}
