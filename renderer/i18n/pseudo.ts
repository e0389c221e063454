// The pseudo-locale en-XA: every English string accented and about 30% longer, so text that
// skipped the catalog (it stays plain) and layouts that cannot grow show up on sight.

const ACCENTED: Record<string, string> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ó', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ú', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Í', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ó', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Ú', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

/** Accents the letters outside `{{placeholders}}` and `<tags>`, then pads the text to ~130% of its length. */
export function pseudoLocalize(text: string): string {
  const parts = text.split(/(\{\{[^}]*\}\}|<[^>]*>)/);
  const body = parts.map((p, i) => (i % 2 === 1 ? p : [...p].map((c) => ACCENTED[c] ?? c).join(''))).join('');
  const pad = Math.max(1, Math.round(text.length * 0.3));
  return `[${body} ${'~'.repeat(pad)}]`;
}

export type Catalog = { [key: string]: string | Catalog };

export function pseudoCatalog(catalog: Catalog): Catalog {
  const out: Catalog = {};
  for (const [key, value] of Object.entries(catalog)) out[key] = typeof value === 'string' ? pseudoLocalize(value) : pseudoCatalog(value);
  return out;
}
