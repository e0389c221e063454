// Archive, delete to the trash, restore from it and empty it, through the
// service channels the window uses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SettingsSchema } from '../../shared/settings.ts';
import { createAppService } from '../../electron/service/app-service.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { sessionWaiter } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('sessions: archive and trash channels', () => {
  test('archive and unarchive, delete to the trash, list and restore it, empty the trash for good', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-service-trash-'));
    dirs.push(dir);
    const doc = join(dir, 'contract.md');
    writeFileSync(doc, contractMarkdown(2));
    const service = await createAppService({ dataDir: join(dir, 'data'), simulator: { tokensPerSecond: 0, words: 20 } });
    service.configure({ settings: SettingsSchema.parse({}), keys: {} });
    const until = sessionWaiter(service);
    const create = async (name: string) => {
      const s = await service.handle('sessions:create', { name, task: 'List obligations', template: 'custom', providerName: 'Simulator', documents: [doc], chunkTokens: 300, start: true });
      return (await until((x) => x.status === 'done', s.id)).id;
    };
    const listed = async (includeArchived = false) => (await service.handle('sessions:list', { limit: 100, includeArchived })).items.map((s) => s.name).sort();
    try {
      const a = await create('kept');
      const b = await create('binned');

      expect((await service.handle('sessions:archive', { id: a, archived: true })).archived).toBe(true);
      expect(await listed()).toEqual(['binned']);
      expect((await service.handle('sessions:archive', { id: a, archived: false })).archived).toBe(false);
      expect(await listed()).toEqual(['binned', 'kept']);

      await service.handle('sessions:delete', { id: b });
      expect(await listed(true)).toEqual(['kept']);
      expect((await service.handle('sessions:trash', {})).items.map((s) => [s.id, s.trashed])).toEqual([[b, true]]);
      const restored = await service.handle('sessions:restore', { id: b });
      expect(restored).toMatchObject({ id: b, trashed: false, status: 'done' });
      expect(await listed()).toEqual(['binned', 'kept']);

      await service.handle('sessions:delete', { id: b });
      expect(await service.handle('sessions:emptyTrash', {})).toEqual({ purged: 1, kept: 0 });
      expect((await service.handle('sessions:trash', {})).items).toEqual([]);
      await expect(service.handle('sessions:get', { id: b })).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await service.shutdown();
    }
  });
});
