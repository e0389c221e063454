// The packaged app runs the bundled engine (dist-electron/*.cjs), not the
// TypeScript sources: prove the bundle itself analyses a PDF end to end under
// Node 24 (the Node Electron 45 embeds), including the bundled ingestion worker,
// and that the sandboxed preload is one self-contained file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppService } from '../../electron/service/types.ts';
import { SettingsSchema } from '../../shared/settings.ts';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'dist-electron');
const dir = mkdtempSync(join(tmpdir(), 'cairn-bundle-'));

beforeAll(() => {
  if (!existsSync(join(out, 'engine-host.cjs')) || !existsSync(join(out, 'preload.cjs'))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.ts')], { cwd: root, stdio: 'inherit' });
  }
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Electron bundles', () => {
  test('the preload requires nothing but electron', () => {
    const preload = readFileSync(join(out, 'preload.cjs'), 'utf8');
    const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(requires)]).toEqual(['electron']);
  });

  test('the bundled engine analyses the sample PDF with its bundled worker', async () => {
    const chunk = readdirSync(out).find((f) => f.startsWith('app-service-') && f.endsWith('.cjs'));
    expect(chunk).toBeTruthy();
    const require = createRequire(import.meta.url);
    const { createAppService } = require(join(out, chunk!)) as { createAppService: (o: object) => Promise<AppService> };
    const service = await createAppService({ dataDir: join(dir, 'data'), simulator: { tokensPerSecond: 0, words: 20 } });
    service.configure({ settings: SettingsSchema.parse({}), keys: {} });
    const pdf = join(root, 'samples', 'master-services-agreement.pdf');
    const preview = await service.handle('documents:preview', { paths: [pdf] });
    expect(preview.documents[0]).toMatchObject({ ok: true, pages: 33 });
    const s = await service.handle('sessions:create', { task: 'Summarise', template: 'summary', providerName: 'Simulator', documents: [pdf], chunkTokens: 4_000, start: true });
    const end = Date.now() + 60_000;
    let status = s.status;
    while (status !== 'done' && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await service.handle('sessions:get', { id: s.id })).status;
    }
    expect(status).toBe('done');
    const detail = await service.handle('sessions:detail', { id: s.id });
    expect(detail.report).toBeTruthy();
    expect(detail.chunks.every((c) => c.status === 'done' && /^pp?\. \d+/.test(c.source))).toBe(true);
    await service.shutdown();
  }, 120_000);
});
