// Picks the chunks most relevant to a follow-up question with BM25 over the
// chunk texts: local, deterministic, no external service.
const STOP = new Set('a an and are as at be by for from has have in is it its of on or that the this to was were what when where which who why will with shall may must not no any all each'.split(' '));

export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 1 && !STOP.has(t));
}

export interface Ranked<T> {
  item: T;
  score: number;
}

export function rankByQuery<T>(items: readonly T[], textOf: (item: T) => string, query: string, k1 = 1.2, b = 0.75): Ranked<T>[] {
  const q = [...new Set(terms(query))];
  if (q.length === 0 || items.length === 0) return items.map((item) => ({ item, score: 0 }));
  const docs = items.map((it) => terms(textOf(it)));
  const avg = docs.reduce((s, d) => s + d.length, 0) / docs.length || 1;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) if (q.includes(t)) df.set(t, (df.get(t) ?? 0) + 1);
  return docs
    .map((d, i) => {
      const tf = new Map<string, number>();
      for (const t of d) if (q.includes(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
      let score = 0;
      for (const t of q) {
        const f = tf.get(t) ?? 0;
        if (!f) continue;
        const n = df.get(t) ?? 0;
        const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
        score += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.length) / avg));
      }
      return { item: items[i]!, score };
    })
    .sort((x, y) => y.score - x.score);
}
