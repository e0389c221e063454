// `npm run lint` refuses words typed into JSX anywhere in the renderer: they must come from the
// catalogs (shared/locales/) so that every language, and the pseudo-locale, can say them.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function literalStrings(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'i18next/no-literal-string').map((m) => m.message);
}

const literal = `export function Hello() {\n  return <p className="muted">Nothing to see here.</p>;\n}\n`;
const fromCatalog = `import { useTranslation } from 'react-i18next';\nexport function Hello() {\n  const { t } = useTranslation();\n  return <p className="muted">{t('common.loading')}</p>;\n}\n`;

describe('no literal strings in the renderer', () => {
  // Paths that were never on a list: a new view, a new component, a file deep in a new folder.
  test.each(['renderer/views/new-view.tsx', 'renderer/components/new-widget.tsx', 'renderer/some/new/place/panel.tsx'])('literal JSX text in %s fails the lint', async (file) => {
    const errors = await literalStrings(literal, file);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Nothing to see here.');
  });

  test('words from the catalog pass', async () => {
    expect(await literalStrings(fromCatalog, 'renderer/views/new-view.tsx')).toEqual([]);
  });

  test('every renderer component passes today', async () => {
    const results = await eslint.lintFiles(['renderer/**/*.tsx']);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'i18next/no-literal-string').map((m) => `${r.filePath.slice(root.length + 1)}:${m.line}`));
    expect(found).toEqual([]);
  });
});
