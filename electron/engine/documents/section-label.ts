// What a report cites for a place in a document: `p. 12` / `pp. 12–13` for
// paged documents, `§ 3.2` for numbered headings, `§ <heading text>` otherwise.
// The same functions build chunk labels and read citations back, so the two
// can never disagree about what "3.2" means.

// Up to three digits, so a heading that starts with a year ("2025 Annual Report") is cited by its text.
const NUMBERED = /^(?:(?:section|article|clause|chapter|§)\s*)?(\d{1,3}(?:\.\d{1,3})*)(?:[.)]|\s|$)/i;
const NAMED_PART = /^(schedule|annex|appendix|exhibit|part|attachment)\s+([A-Z0-9]{1,4}(?:\.\d{1,4})*)\b/i;
const MAX_TEXT_KEY = 80;
/** Vietnamese legal designations: "Phần 1", "Chương II", "Mục 1", "Điều 5", "Khoản 3", "Điểm a". */
const VI_DESIGNATION = /^(phần|chương|mục|điều|khoản|điểm)\s+(\d{1,4}[a-zđ]?|[ivxlc]{1,8}|[a-zđ])(?=$|[\s.:,;)\-–—])/iu;
/** Chinese and Japanese ones: "第二章", "第5条", "第十二條", "第3节", "第1款", "第一编". */
const CJK_DESIGNATION = /^第\s*([0-9０-９]{1,4}|[一二三四五六七八九十百千零〇两]{1,8})\s*(条|條|章|节|節|款|编|編|篇|部分)/u;

/** Level of a legal designation in the document's hierarchy (part › chapter › section › article › clause › point), or null. */
export function legalDesignationLevel(heading: string): number | null {
  const text = heading.normalize('NFC').trim();
  const vi = VI_DESIGNATION.exec(text);
  if (vi) return ['phần', 'chương', 'mục', 'điều', 'khoản', 'điểm'].indexOf((vi[1] ?? '').toLowerCase()) + 1;
  const cjk = CJK_DESIGNATION.exec(text);
  if (cjk) return ({ 编: 1, 編: 1, 篇: 1, 部分: 1, 章: 2, 节: 3, 節: 3, 条: 4, 條: 4, 款: 5 } as Record<string, number>)[cjk[2] ?? ''] ?? null;
  return null;
}

function legalKey(text: string): string | null {
  const vi = VI_DESIGNATION.exec(text);
  if (vi) {
    const n = vi[2] ?? '';
    return `${capitalise(vi[1] ?? '')} ${/^[ivxlc]+$/i.test(n) && n.length > 1 ? n.toUpperCase() : n}`;
  }
  const cjk = CJK_DESIGNATION.exec(text);
  if (cjk) return `第${cjk[1] ?? ''}${cjk[2] ?? ''}`;
  return null;
}

/** The key a heading is cited by: "3.2" for "3.2 Payment Terms", "Schedule 2" for "Schedule 2 – Fees", else the heading text. */
export function sectionKey(heading: string): string {
  const text = heading.normalize('NFC').trim().replace(/\s+/g, ' ');
  const legal = legalKey(text);
  if (legal !== null) return legal;
  const named = NAMED_PART.exec(text);
  if (named) return `${capitalise(named[1] ?? '')} ${(named[2] ?? '').toUpperCase()}`;
  const numbered = NUMBERED.exec(text);
  if (numbered) return numbered[1] ?? text;
  // Brackets would end the citation early ("[§ createReadStream([options])]"): parentheses instead.
  const citable = text.replace(/\(\[/g, '(').replace(/\]\)/g, ')').replace(/\[/g, '(').replace(/\]/g, ')');
  return citable.length > MAX_TEXT_KEY ? citable.slice(0, MAX_TEXT_KEY).trimEnd() : citable;
}

/** Normalised form used to compare a cited key with a heading key. */
export function comparableKey(key: string): string {
  return key
    .normalize('NFC')
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
