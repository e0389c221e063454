// The desktop path for bad documents: creating a session whose every document is bad fails at once with
// each reason and leaves no session; with one good document the session is named after it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SettingsSchema } from '../../shared/settings.ts';
import { createAppService } from '../../electron/service/app-service.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('sessions:create with bad documents', () => {
  test('every document bad: refused with each reason, and no session is left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-service-bad-'));
    dirs.push(dir);
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const good = join(dir, 'hop-dong.md');
    writeFileSync(good, contractMarkdown(2));
    const service = await createAppService({ dataDir: join(dir, 'data'), simulator: { tokensPerSecond: 0, words: 20 } });
    service.configure({ settings: SettingsSchema.parse({}), keys: {} });
    const base = { task: 'x', template: 'custom' as const, providerName: 'Simulator', start: false };
    await expect(service.handle('sessions:create', { ...base, documents: [empty, join(dir, 'gone.pdf')] })).rejects.toMatchObject({
      code: 'invalid_input', message: expect.stringMatching(/empty\.txt is empty \(0 bytes\)\.[\s\S]*gone\.pdf was not found/),
    });
    expect((await service.handle('sessions:list', { limit: 10 })).items).toEqual([]);
    const s = await service.handle('sessions:create', { ...base, documents: [good, empty] });
    expect(s.name).toBe('hop-dong.md — x');
    await service.shutdown();
  });
});
