// Pausing a session stops a follow-up question being answered (its partial is
// kept and the question can be asked again); a second question waits its turn.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { SettingsSchema } from '../../shared/settings.ts';
import { createAppService } from '../../electron/service/app-service.ts';
import { startSimulator } from '../../electron/engine/simulator/index.ts';
import { contractMarkdown } from '../engine/pipeline/helpers.ts';
import { sessionWaiter } from './helpers.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('pause stops an answer being streamed; asking again finishes it; one question at a time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-ask-pause-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const doc = join(dir, 'contract.md');
  writeFileSync(doc, contractMarkdown(4));
  const server = await startSimulator({ words: 30, tokensPerSecond: 0 });
  cleanups.push(() => server.close());
  const service = await createAppService({ dataDir: join(dir, 'data') });
  cleanups.push(() => service.shutdown());
  service.configure({ settings: SettingsSchema.parse({ providers: [{ name: 'Local', baseUrl: server.baseURL, model: 'cairn-simulator', keySource: { kind: 'none' } }] }), keys: {} });

  const s = await service.handle('sessions:create', { task: 'List obligations', template: 'custom', providerName: 'Local', documents: [doc], chunkTokens: 400, start: true });
  await sessionWaiter(service)((x) => x.status === 'done', s.id);

  server.configure({ tokensPerSecond: 20, words: 80 });
  const question = 'Which deadlines apply to the supplier?';
  const asked = service.handle('sessions:ask', { id: s.id, question });
  const outcome = asked.then(() => 'answered', (e: { code?: string }) => e.code ?? 'error');
  await new Promise((r) => setTimeout(r, 600));
  await expect(service.handle('sessions:ask', { id: s.id, question: 'Another one?' })).rejects.toMatchObject({ code: 'busy' });
  await service.handle('sessions:pause', { id: s.id });
  expect(await outcome).toMatch(/cancel/);

  server.configure({ tokensPerSecond: 0 });
  const answer = await service.handle('sessions:ask', { id: s.id, question });
  expect(answer.answer.length).toBeGreaterThan(20);
  const detail = await service.handle('sessions:detail', { id: s.id });
  expect(detail.conversation.at(-1)?.text).toBe(answer.answer);
});
