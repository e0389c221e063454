// A report as the CLI prints it: every citation that matches no passage is
// marked where it stands, so a reader of `cairn run` or `cairn show` sees it
// as the HTML export shows it. Which citations are invalid is the report
// checkpoint's own check (engine/documents/citations.ts); this only finds them in the text.
import { parseCitations } from '../engine/documents/citations.ts';
import type { Style } from './cli-style.ts';

export const NO_SUCH_PASSAGE = '(no such passage)';

export function markInvalidCitations(text: string, citations: ReadonlyArray<{ label: string; valid: boolean }>, style: Style): string {
  const invalid = new Set(citations.filter((c) => !c.valid).map((c) => c.label));
  if (invalid.size === 0) return text;
  // One mark per bracket, after it, from the end so earlier offsets stay right.
  const brackets = new Map<number, string>();
  for (const c of parseCitations(text)) if (invalid.has(c.label)) brackets.set(c.index, c.raw);
  let out = text;
  for (const [index, raw] of [...brackets.entries()].sort((a, b) => b[0] - a[0])) {
    const end = index + raw.length;
    out = `${out.slice(0, end)} ${style.bad(`⚠ ${NO_SUCH_PASSAGE}`)}${out.slice(end)}`;
  }
  return out;
}
