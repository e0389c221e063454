// Live output grows by a few words every paint. Re-parsing the whole text each
// time costs O(length) per paint and O(length²) per stream, which stalls the
// page on long answers. So the live view renders a bounded window (the recent
// end of a long stream), cut into blocks at blank lines (never inside a code
// fence): finished blocks are memoised and never re-rendered; only the last,
// growing block is parsed again. Per paint the work is bounded, whatever the
// length. The final answer, once done, is rendered whole by SafeMarkdown.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { SafeMarkdown } from './safe-markdown.tsx';

/** A block of the text and where it starts in it (its stable identity while the stream grows). */
export interface TextBlock {
  start: number;
  text: string;
}

/** Splits Markdown into blocks at blank lines outside ``` / ~~~ fences. The last block may be unfinished. */
export function blocksOf(text: string, offset = 0): TextBlock[] {
  const blocks: TextBlock[] = [];
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
      if (block.trim()) blocks.push({ start: offset + start, text: block });
      start = nl + 1;
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  const rest = text.slice(start);
  if (rest.trim() || blocks.length === 0) blocks.push({ start: offset + start, text: rest });
  return blocks;
}

export const splitBlocks = (text: string): string[] => blocksOf(text).map((b) => b.text);

/** Live output shows the recent end of a long stream; the whole answer is in the results once the step completes. */
export const LIVE_WINDOW = 6_000;
const WINDOW_STEP = 3_000;

/**
 * The part of the text the live view renders: all of it while short, else the
 * last few thousand characters from a line start. The start only moves in steps,
 * so the blocks inside keep their identity (and their memoised render) between paints.
 */
export function liveWindow(text: string): { start: number; text: string } {
  if (text.length <= LIVE_WINDOW) return { start: 0, text };
  const rough = Math.floor((text.length - LIVE_WINDOW + WINDOW_STEP) / WINDOW_STEP) * WINDOW_STEP;
  const nl = text.indexOf('\n', rough);
  const start = nl === -1 || nl - rough > 500 ? rough : nl + 1;
  return { start, text: text.slice(start) };
}

const Block = memo(function Block({ text }: { text: string }) {
  return <SafeMarkdown text={text} />;
});

export function StreamingMarkdown({ text }: { text: string }) {
  const { t } = useTranslation();
  const window = liveWindow(text);
  const blocks = blocksOf(window.text, window.start);
  return (
    <div className="streaming-markdown">
      {window.start > 0 ? <p className="muted">{t('markdown.earlierSaved')}</p> : null}
      {blocks.map((b) => <Block key={b.start} text={b.text} />)}
    </div>
  );
}
