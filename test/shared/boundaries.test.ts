import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'boundaries');
const eslint = new ESLint({ cwd: root });

async function restrictedImportErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer boundaries', () => {
  const cases = readdirSync(fixtures).filter((f) => /\.tsx?$/.test(f));

  test('there are fixtures for every guarded layer', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  test.each(cases)('%s is refused by the lint', async (file) => {
    const code = readFileSync(join(fixtures, file), 'utf8');
    const as = /^\/\/ as: (\S+)/.exec(code)?.[1];
    expect(as, 'fixture names the path it pretends to live at').toBeTruthy();
    expect(await restrictedImportErrors(code, as!)).not.toEqual([]);
  });

  test('the same imports are allowed where they belong', async () => {
    expect(await restrictedImportErrors("import { app } from 'electron';\nexport const a = app;\n", 'electron/main.ts')).toEqual([]);
    expect(await restrictedImportErrors("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'electron/store/ok.ts')).toEqual([]);
    expect(await restrictedImportErrors("import { z } from 'zod';\nexport const s = z.string();\n", 'shared/ok.ts')).toEqual([]);
  });
});
