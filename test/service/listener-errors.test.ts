// A listener that throws (a closed port, a torn-down window bridge) must not
// fail passages nor crash the engine: events are notifications, the run is the work.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Session } from '../../shared/domain.ts';
import { SettingsSchema } from '../../shared/settings.ts';
import { createAppService } from '../../electron/service/app-service.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('service event listeners', () => {
  test('a throwing listener neither fails the run nor stops the other listeners', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-service-listener-'));
    dirs.push(dir);
    const doc = join(dir, 'contract.md');
    writeFileSync(doc, contractMarkdown(4));
    const service = await createAppService({ dataDir: join(dir, 'data'), simulator: { tokensPerSecond: 300, words: 30 }, runDeps: { retry: { baseMs: 5, capMs: 20 } } });
    service.configure({ settings: SettingsSchema.parse({}), keys: {} });
    let thrown = 0;
    service.onEvent(() => {
      thrown += 1;
      throw new Error('the port is closed');
    });
    const seen: string[] = [];
    service.onEvent((name) => seen.push(name));
    const s = await service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Simulator', documents: [doc], chunkTokens: 300, start: true });
    const end = Date.now() + 30_000;
    let now: Session = s;
    while (Date.now() < end && (now.status === 'running' || service.running().length > 0 || now.status === 'created')) {
      await new Promise((r) => setTimeout(r, 30));
      now = await service.handle('sessions:get', { id: s.id });
    }
    expect(now.status).toBe('done');
    expect(now.progress.failed).toBe(0);
    expect(thrown).toBeGreaterThan(0);
    expect(seen).toContain('stream:text');
    expect(seen).toContain('checkpoint:added');
    await service.shutdown();
  });
});
