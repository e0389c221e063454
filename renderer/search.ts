// Search and sort that read Vietnamese as a person does: 'hop dong' finds 'Hợp đồng' (marks and
// case ignored, đ read as d), and names sort in the interface language's order (Intl.Collator).
import { intlLocale } from './i18n/i18n.ts';

/** Text with its diacritics, case and đ folded away, for matching. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ');
}

/** Whether every word of the query is in one of the fields (diacritic-insensitive). An empty query matches all. */
export function matchesQuery(fields: readonly string[], query: string): boolean {
  const words = foldForSearch(query).trim().split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const hay = fields.map(foldForSearch).join('\n');
  return words.every((w) => hay.includes(w));
}

/** Compares names in the interface language's order (Vietnamese: a ă â … d đ …), numbers by value. */
export function compareNames(a: string, b: string): number {
  return collatorFor(intlLocale()).compare(a, b);
}

const collators = new Map<string, Intl.Collator>();
function collatorFor(locale: string): Intl.Collator {
  let c = collators.get(locale);
  if (!c) {
    c = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
    collators.set(locale, c);
  }
  return c;
}
