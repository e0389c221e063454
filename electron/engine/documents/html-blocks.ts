// Walks HTML (a web page, or what mammoth makes of a .docx) into headings and
// paragraphs. Script, style, noscript and template content is dropped; so is
// <title>. Whitespace is collapsed as a browser would, except inside <pre>.
// A heading's permalink (an in-page link whose text is only "#", "¶", "§" or
// a link symbol, as Sphinx, Node's docs and most generators add) is dropped.
import { Parser } from 'htmlparser2';
import { legalHeadingLevelOfLine } from './format-text.ts';
import type { Block } from './types.ts';

const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'title', 'svg', 'math', 'iframe', 'object']);
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hgroup', 'hr', 'li', 'main', 'nav', 'ol', 'p',
  'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul', 'html',
]);
const HEADING = /^h([1-6])$/;
// Survives whitespace collapsing, then becomes a newline.
const LINE_BREAK = '\u2028';
/** What a permalink anchor shows instead of words. */
const PERMALINK_TEXT = /^[\s#¶§🔗⚓\u{1F517}]*$/u;

export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let buffer = '';
  let headingLevel: number | null = null;
  let dropDepth = 0;
  let preDepth = 0;
  let cellsInRow = 0;
  /** Where each open in-page link inside a heading started in `buffer`: its text is dropped if it is only a permalink symbol. */
  const anchors: number[] = [];

  const flush = (): void => {
    const text = (preDepth > 0 ? buffer : buffer.replace(/[ \t\n\r\f]+/g, ' ')).replace(/ ?\u2028 ?/g, '\n');
    if (text.trim() !== '') {
      // A legal heading written as a plain (often bold) paragraph, as Word contracts and law pages do: "Điều 5. Thanh toán".
      const level = headingLevel ?? (preDepth === 0 ? legalHeadingLevelOfLine(text) : null);
      blocks.push(level === null ? { kind: 'paragraph', text: text.replace(/^ +| +$/gm, '') } : { kind: 'heading', level, text: headingLevel === null ? text.trim() : text });
    }
    buffer = '';
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'a' && headingLevel !== null && dropDepth === 0) {
          anchors.push((attribs.href ?? '').startsWith('#') ? buffer.length : -1);
          return;
        }
        if (DROPPED.has(name)) {
          dropDepth++;
          return;
        }
        if (dropDepth > 0) return;
        const h = HEADING.exec(name);
        if (h) {
          flush();
          headingLevel = Number(h[1]);
        } else if (BLOCKS.has(name)) {
          flush();
          if (name === 'pre') preDepth++;
          if (name === 'tr') cellsInRow = 0;
        } else if (name === 'br') {
          buffer += LINE_BREAK;
        } else if (name === 'td' || name === 'th') {
          if (cellsInRow > 0) buffer += ' | ';
          cellsInRow++;
        }
      },
      ontext(text) {
        if (dropDepth === 0) buffer += text;
      },
      onclosetag(name) {
        if (name === 'a' && headingLevel !== null && dropDepth === 0 && anchors.length > 0) {
          const start = anchors.pop() ?? -1;
          if (start >= 0 && start <= buffer.length && PERMALINK_TEXT.test(buffer.slice(start))) buffer = buffer.slice(0, start);
          return;
        }
        if (DROPPED.has(name)) {
          dropDepth = Math.max(0, dropDepth - 1);
          return;
        }
        if (dropDepth > 0) return;
        if (HEADING.test(name)) {
          flush();
          headingLevel = null;
          anchors.length = 0;
        } else if (BLOCKS.has(name)) {
          flush();
          if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return blocks;
}
