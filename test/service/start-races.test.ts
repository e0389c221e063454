// Starting a session twice at once, or while another process holds it, must
// never run it twice nor rewrite the holder's status.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SettingsSchema } from '../../shared/settings.ts';
import { createAppService } from '../../electron/service/app-service.ts';
import { CheckpointStore } from '../../electron/store/checkpoint-store.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { sessionWaiter } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-service-race-'));
  dirs.push(dir);
  const doc = join(dir, 'contract.md');
  writeFileSync(doc, contractMarkdown(6));
  const service = await createAppService({ dataDir: join(dir, 'data'), simulator: { tokensPerSecond: 0, words: 20 }, runDeps: { retry: { baseMs: 5, capMs: 20 } } });
  service.configure({ settings: SettingsSchema.parse({}), keys: {} });
  const until = sessionWaiter(service);
  return { dir, doc, service, until };
}

describe('service start races', () => {
  test('two starts at once run a simulator session once: every step is on the path exactly once', async () => {
    const { doc, service, until } = await setup();
    const s = await service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Simulator', documents: [doc], chunkTokens: 300, start: false });
    await Promise.all([service.handle('sessions:start', { id: s.id }), service.handle('sessions:start', { id: s.id })]);
    await until((x) => x.status === 'done', s.id);
    await until(() => service.running().length === 0, s.id);
    const tl = await service.handle('checkpoints:timeline', { sessionId: s.id, limit: 500 });
    const keys = tl.items.filter((r) => r.checkpoint.kind !== 'interrupted').map((r) => `${r.checkpoint.kind}|${r.checkpoint.stepKey}`);
    expect(keys.length).toBeGreaterThan(3);
    expect(new Set(keys).size).toBe(keys.length);
    await service.shutdown();
  });

  test('starting a session another process is running leaves that run\'s status alone', async () => {
    const { dir, doc, service, until } = await setup();
    const s = await service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Simulator', documents: [doc], chunkTokens: 300, start: false });
    // Another process (here: a second connection) holds the session and runs it.
    const other = CheckpointStore.open({ dataDir: join(dir, 'data') });
    try {
      expect(other.acquireLease(s.id, 'cli-other')).not.toBeNull();
      other.updateSession(s.id, { status: 'running', reason: null });
      await service.handle('sessions:start', { id: s.id });
      await until(() => service.running().length === 0, s.id);
      const after = await service.handle('sessions:get', { id: s.id });
      expect(after.status).toBe('running');
    } finally {
      other.close();
    }
    await service.shutdown();
  });
});
