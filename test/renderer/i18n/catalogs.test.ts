// Every reason code the main side can produce has words in every catalog, and the catalogs say
// the same things (the same keys, plural forms aside: Vietnamese has one form, English two).
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../renderer/i18n/i18n.ts';
import { reasonKeys } from '../../../renderer/i18n/reasons.ts';
import en from '../../../shared/locales/en.json';
import vi from '../../../shared/locales/vi.json';

type Catalog = { [key: string]: string | Catalog };
const CATALOGS: Record<string, Catalog> = { en, vi };

function keys(c: Catalog, prefix = ''): string[] {
  return Object.entries(c).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (k: string) => k.replace(PLURAL, '');

// The source of every room that produces reasons (the CLI's own errors stay in the CLI).
const sources = import.meta.glob(['../../../electron/**/*.ts', '../../../shared/**/*.ts', '!../../../electron/cli/**', '!**/simulator/**'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** The codes a reason can carry, read from the code that makes them, so a new code cannot slip by. */
function producedCodes(): Set<string> {
  const out = new Set<string>();
  const add = (re: RegExp, f: (m: RegExpMatchArray) => string[]) => {
    for (const text of Object.values(sources)) for (const m of text.matchAll(re)) f(m).forEach((c) => out.add(c));
  };
  add(/new (?:StoreError|IpcFailure|AnalysisError|DocumentError)\(\s*'([^']+)'/g, (m) => [m[1]!]);
  add(/category: '([a-z_]+)',\s*code: '([A-Za-z_0-9]+)'/g, (m) => [`${m[1]}:${m[2]}`]);
  // `code: '…'` literals, but not zod's own issue codes (`ctx.addIssue({ code: 'custom', … })`), which never reach a person.
  add(/(?<!addIssue\(\{ )\bcode: '([A-Za-z_][A-Za-z_0-9:-]*)'/g, (m) => [m[1]!]);
  // The declared unions: store codes, engine categories, document codes, and the session-state constants.
  const union = (file: string, start: RegExp) => {
    const text = Object.entries(sources).find(([p]) => p.endsWith(file))?.[1] ?? '';
    const from = text.search(start);
    expect(from, `${file} declares ${start}`).toBeGreaterThanOrEqual(0);
    const body = text.slice(from, text.indexOf(';', from));
    for (const m of body.matchAll(/'([A-Za-z_-]+)'/g)) out.add(m[1]!);
  };
  union('electron/store/types.ts', /export type StoreErrorCode =/);
  union('electron/engine/errors.ts', /export type ErrorCategory =/);
  union('electron/engine/documents/document-error.ts', /export const DocumentErrorCodeSchema = z\.enum\(\[/);
  union('shared/session-state.ts', /export const PAUSED_ON_REQUEST =/);
  union('shared/session-state.ts', /export const ROLLED_BACK =/);
  // Errno and SQLite codes are raw inputs to the classifiers, never a reason's code on their own.
  for (const c of [...out]) if (/^(E[A-Z]+|SQLITE_[A-Z_]+)$/.test(c)) out.delete(c);
  return out;
}

describe('the catalogs', () => {
  it('have the same keys in every language', () => {
    const sets = Object.fromEntries(Object.entries(CATALOGS).map(([l, c]) => [l, [...new Set(keys(c).map(base))].sort()]));
    expect(sets.vi).toEqual(sets.en);
  });

  it('give English both plural forms and Vietnamese its one', () => {
    for (const k of keys(en).filter((k) => k.endsWith('_one'))) expect(keys(en)).toContain(k.replace(/_one$/, '_other'));
    expect(keys(vi).filter((k) => /_(one|few|many)$/.test(k))).toEqual([]);
  });

  it('have words for every reason code the engine, store, service and main produce', () => {
    const codes = producedCodes();
    expect(codes.size).toBeGreaterThan(60);
    for (const [lang, catalog] of Object.entries(CATALOGS)) {
      const have = new Set(keys(catalog));
      const missing = [...codes].filter((code) => !reasonKeys(code).some((k) => have.has(`${k}.message`)));
      expect(missing, `reason codes with no entry in ${lang}.json`).toEqual([]);
    }
  });

  it('a reason with a hint has a hint in every catalog', () => {
    for (const [lang, catalog] of Object.entries(CATALOGS)) {
      const all = keys(catalog).filter((k) => k.startsWith('reason.') && k.endsWith('.message'));
      const noHint = all.filter((k) => !keys(catalog).includes(k.replace(/\.message$/, '.hint')));
      expect(noHint, lang).toEqual([]);
    }
  });

  it('write Vietnamese with its diacritics', () => {
    expect(i18n.getFixedT('vi')('nav.sessions')).toBe('Phiên phân tích');
    expect(i18n.getFixedT('vi')('status.paused')).toBe('Tạm dừng');
    expect(i18n.getFixedT('vi')('status.done')).toBe('Đã xong');
  });
});
