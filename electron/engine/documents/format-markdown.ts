// Markdown: ATX (# ...) and setext (=== / ---) headings become headings;
// everything else is kept as written (lists, tables, emphasis) because models
// read Markdown well. Fenced code is one block and its lines are never headings.
import type { Block } from './types.ts';

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

export function markdownToBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  let fence: string | null = null;

  const flush = (): void => {
    if (para.length > 0) blocks.push({ kind: 'paragraph', text: para.join('\n') });
    para = [];
  };

  for (const line of lines) {
    if (fence !== null) {
      para.push(line);
      if (line.trim().startsWith(fence)) {
        fence = null;
        flush();
      }
      continue;
    }
    const fenceOpen = FENCE.exec(line);
    if (fenceOpen) {
      flush();
      fence = (fenceOpen[1] ?? '```').slice(0, 3);
      para.push(line);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      blocks.push({ kind: 'heading', level: (atx[1] ?? '#').length, text: atx[2] ?? '' });
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && para.length === 1 && !/^\s*([-*+]|\d+[.)])\s/.test(para[0] ?? '')) {
      blocks.push({ kind: 'heading', level: (setext[1] ?? '=').startsWith('=') ? 1 : 2, text: para[0] ?? '' });
      para = [];
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    para.push(line);
  }
  flush();
  return blocks;
}
