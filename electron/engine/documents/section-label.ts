// What a report cites for a place in a document: `p. 12` / `pp. 12–13` for
// paged documents, `§ 3.2` for numbered headings, `§ <heading text>` otherwise.
// The same functions build chunk labels and read citations back, so the two
// can never disagree about what "3.2" means.

// Up to three digits, so a heading that starts with a year ("2025 Annual Report") is cited by its text.
const NUMBERED = /^(?:(?:section|article|clause|chapter|§)\s*)?(\d{1,3}(?:\.\d{1,3})*)(?:[.)]|\s|$)/i;
const NAMED_PART = /^(schedule|annex|appendix|exhibit|part|attachment)\s+([A-Z0-9]{1,4}(?:\.\d{1,4})*)\b/i;
const MAX_TEXT_KEY = 80;

/** The key a heading is cited by: "3.2" for "3.2 Payment Terms", "Schedule 2" for "Schedule 2 – Fees", else the heading text. */
export function sectionKey(heading: string): string {
  const text = heading.trim().replace(/\s+/g, ' ');
  const named = NAMED_PART.exec(text);
  if (named) return `${capitalise(named[1] ?? '')} ${(named[2] ?? '').toUpperCase()}`;
  const numbered = NUMBERED.exec(text);
  if (numbered) return numbered[1] ?? text;
  return text.length > MAX_TEXT_KEY ? text.slice(0, MAX_TEXT_KEY).trimEnd() : text;
}

/** Normalised form used to compare a cited key with a heading key. */
export function comparableKey(key: string): string {
  return key
    .trim()
    .replace(/^§+\s*/, '')
    .replace(/\s+/g, ' ')
    .replace(/[.:]+$/, '')
    .toLowerCase();
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

export function pageLabel(pages: readonly number[]): string {
  const first = pages[0];
  const last = pages[pages.length - 1];
  if (first === undefined || last === undefined) return '';
  return first === last ? `p. ${first}` : `pp. ${first}–${last}`;
}

export function sectionLabel(key: string): string {
  return `§ ${key}`;
}

export function chunkOrdinalLabel(index: number): string {
  return `chunk ${index + 1}`;
}
