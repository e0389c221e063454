// Joins the blocks of any format into one normalised text (blocks separated by
// a blank line) and a source map of segments, one per run of blocks that share
// a page and a heading path. Offsets are UTF-16 indexes into `text`.
import type { Block, SourceSegment } from './types.ts';

const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
const ODD_SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern removes
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Normalises a paragraph: NFC, one kind of newline and space, no invisible characters, no trailing blanks. */
export function normaliseBlockText(raw: string): string {
  const text = raw
    .replace(/\r\n?/g, '\n')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(ODD_SPACES, ' ')
    .replace(/\t/g, '    ')
    .replace(CONTROLS, '');
  const lines = text.split('\n').map((line) => {
    const indent = /^ */.exec(line)?.[0] ?? '';
    return indent + line.slice(indent.length).replace(/ {2,}/g, ' ').trimEnd();
  });
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\s+$/g, '');
}

export function normaliseHeadingText(raw: string): string {
  return normaliseBlockText(raw).replace(/\s+/g, ' ').trim();
}

export interface Assembled {
  text: string;
  sourceMap: SourceSegment[];
}

export function assembleBlocks(blocks: readonly Block[]): Assembled {
  const parts: string[] = [];
  const sourceMap: SourceSegment[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let offset = 0;
  let current: SourceSegment | null = null;

  for (const block of blocks) {
    const text = block.kind === 'heading' ? normaliseHeadingText(block.text) : normaliseBlockText(block.text);
    if (text === '') continue;
    if (block.kind === 'heading') {
      while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= block.level) stack.pop();
      stack.push({ level: block.level, text });
    }
    if (parts.length > 0) {
      parts.push('\n\n');
      offset += 2;
    }
    const start = offset;
    parts.push(text);
    offset += text.length;

    const headingPath = stack.map((h) => h.text);
    const samePlace = current !== null && block.kind !== 'heading' && current.page === block.page && sameStrings(current.headingPath, headingPath);
    if (current !== null && samePlace) {
      current.end = offset;
    } else {
      current = { start, end: offset, headingPath, ...(block.page === undefined ? {} : { page: block.page }) };
      sourceMap.push(current);
    }
  }
  return { text: parts.join(''), sourceMap };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
