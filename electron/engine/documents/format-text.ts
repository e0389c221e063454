// Plain text: paragraphs are separated by blank lines. A lone short line that
// starts with a section number ("3.2 Payment Terms") is taken as a heading, so
// contracts and reports saved as .txt still get section labels; so does one
// that starts with a legal designation ("Điều 5", "Chương II", "第5条").
import { legalDesignationLevel } from './section-label.ts';
import type { Block } from './types.ts';

const NUMBERED_HEADING = /^(?:(?:section|article|clause|part|chapter|schedule)\s+)?(\d{1,3}(?:\.\d{1,3}){0,4})\.?\s+(\p{Lu}[^\n]{0,100})$/iu;

const MAX_HEADING = 120;

const TERMINAL_PUNCTUATION = /[.,;:。，；：]$/;

/**
 * The level of a lone line that is a legal heading ("Chương II", "Điều 5. Thanh toán", "第5条 付款期限"),
 * levelled part › chapter › section › article › clause › point; null for anything else, a sentence included.
 */
export function legalHeadingLevelOfLine(line: string): number | null {
  const trimmed = line.trim();
  if (trimmed.includes('\n') || trimmed.length > MAX_HEADING || TERMINAL_PUNCTUATION.test(trimmed)) return null;
  return legalDesignationLevel(trimmed);
}

export function headingLevelOfLine(line: string): number | null {
  const trimmed = line.trim();
  if (TERMINAL_PUNCTUATION.test(trimmed)) return null;
  const legal = legalHeadingLevelOfLine(trimmed);
  if (legal !== null) return legal;
  const m = NUMBERED_HEADING.exec(trimmed);
  if (!m) return null;
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
