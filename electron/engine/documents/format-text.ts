// Plain text: paragraphs are separated by blank lines. A lone short line that
// starts with a section number ("3.2 Payment Terms") is taken as a heading, so
// contracts and reports saved as .txt still get section labels.
import type { Block } from './types.ts';

const NUMBERED_HEADING = /^(?:(?:section|article|clause|part|chapter|schedule)\s+)?(\d{1,3}(?:\.\d{1,3}){0,4})\.?\s+(\p{Lu}[^\n]{0,100})$/iu;

export function headingLevelOfLine(line: string): number | null {
  const m = NUMBERED_HEADING.exec(line.trim());
  if (!m || /[.,;:]$/.test(line.trim())) return null;
  return (m[1] ?? '').split('.').length;
}

export function textToBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const trimmed = para.trim();
    if (trimmed === '') continue;
    const level = trimmed.includes('\n') ? null : headingLevelOfLine(trimmed);
    blocks.push(level === null ? { kind: 'paragraph', text: para } : { kind: 'heading', level, text: trimmed });
  }
  return blocks;
}
