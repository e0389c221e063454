import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'boundaries');
const eslint = new ESLint({ cwd: root });

/** The rooms of electron/, in the one-way order of docs/architecture.md (the lint has a block for each). */
const ROOMS = ['cli', 'engine', 'engine-host', 'main', 'preload', 'service', 'store'];

async function restrictedImportErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const importOf = (what: string, from: string) => `import { ${what} } from '${from}';\nexport const x = ${what};\n`;

describe('layer boundaries', () => {
  const cases = readdirSync(fixtures).filter((f) => /\.tsx?$/.test(f));

  test('there are fixtures for every guarded layer', () => {
    const layers = new Set(cases.map((f) => /^\/\/ as: (electron\/[^/]+|[^/]+)\//.exec(readFileSync(join(fixtures, f), 'utf8'))?.[1]));
    for (const r of ROOMS) expect(layers, `a fixture breaks a rule of electron/${r}/`).toContain(`electron/${r}`);
    for (const top of ['shared', 'renderer', 'scripts']) expect(layers).toContain(top);
  });

  test.each(cases)('%s is refused by the lint', async (file) => {
    const code = readFileSync(join(fixtures, file), 'utf8');
    const as = /^\/\/ as: (\S+)/.exec(code)?.[1];
    const refused = /^\/\/ refused: (.+)$/m.exec(code)?.[1];
    expect(as, 'fixture names the path it pretends to live at').toBeTruthy();
    expect(refused, 'fixture names the message the rule gives').toBeTruthy();
    const errors = await restrictedImportErrors(code, as!);
    expect(errors.some((m) => m.includes(refused!)), `${errors.join(' | ') || 'no error'}`).toBe(true);
  });

  test('the same imports are allowed where they belong', async () => {
    expect(await restrictedImportErrors("import { app } from 'electron';\nexport const a = app;\n", 'electron/main/main.ts')).toEqual([]);
    expect(await restrictedImportErrors("import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n", 'electron/preload/preload.ts')).toEqual([]);
    expect(await restrictedImportErrors("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'electron/store/ok.ts')).toEqual([]);
    expect(await restrictedImportErrors("import { z } from 'zod';\nexport const s = z.string();\n", 'shared/ok.ts')).toEqual([]);
  });

  test('each room may import the rooms below it in the one-way order', async () => {
    const allowed: Array<[string, string, string]> = [
      ['electron/store/ok.ts', 'SessionSchema', '../../shared/domain.ts'],
      ['electron/engine/ok.ts', 'CheckpointStore', '../store/checkpoint-store.ts'],
      ['electron/engine/pipeline/ok.ts', 'CheckpointStore', '../../store/checkpoint-store.ts'],
      ['electron/service/ok.ts', 'runSession', '../engine/pipeline/analysis.ts'],
      ['electron/cli/ok.ts', 'createAppService', '../service/app-service.ts'],
      ['electron/cli/ok2.ts', 'main', './main.ts'],
      ['electron/engine-host/ok.ts', 'createAppService', '../service/app-service.ts'],
      ['electron/main/ok.ts', 'createAppService', '../service/app-service.ts'],
      ['electron/main/ok2.ts', 'KeyStore', './key-store.ts'],
      ['electron/preload/ok.ts', 'CHANNEL_NAMES', '../../shared/ipc/index.ts'],
    ];
    for (const [file, what, from] of allowed) expect(await restrictedImportErrors(importOf(what, from), file), `${file} → ${from}`).toEqual([]);
  });

  test('electron/ holds only its rooms: no source file sits loose at its root', () => {
    const entries = readdirSync(join(root, 'electron'), { withFileTypes: true });
    expect(entries.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual([]);
    expect(entries.map((e) => e.name).sort()).toEqual(ROOMS);
  });
});
