// The README and docs/ send readers to files ("tested by test/main/router.test.ts"): every path they
// name must exist, or a move of code leaves the documentation pointing at nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROOTS = ['test', 'electron', 'renderer', 'shared', 'scripts', 'bench', 'bin', 'samples', 'build', 'docs', '.ci'];
const PATH = new RegExp(`\`((?:${ROOTS.map((r) => r.replace('.', '\\.')).join('|')})/[\\w./-]*)\``, 'g');

function namedPaths(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(PATH)].map((m) => m[1] ?? '').filter((p) => !/\/[A-Za-z]\/|\bX\//.test(p));
}

describe('paths named in the documentation', () => {
  const docs = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  it.each(docs)('every path %s names exists', (file) => {
    const named = namedPaths(file);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((p) => !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});
