// A citation that matches no passage is marked where the report is printed,
// by `run` and by `show`, not only in the HTML export.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, useCliWorkspace } from './helpers.ts';

const ws = useCliWorkspace('citations', 1);
const ANSWER = 'Findings:\n1. Payment is due within 30 days [§ 1.1]. The fee schedule is annexed [p. 999].';

/** An OpenAI-compatible endpoint that always gives the same streamed answer, one valid citation and one that points nowhere. */
let server: Server;
let baseURL = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (body: object) => res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', ...body })}\n\n`);
      chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: ANSWER }, finish_reason: null }] });
      chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      chunk({ choices: [], usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 } });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('invalid citations', () => {
  it('are marked in the report run and show print; valid ones are not', async () => {
    const dataDir = join(ws.root, 'data');
    const r = await runCli(['run', ws.doc, '--task', 'Summarise', '--base-url', baseURL, '--model', 'm'], { dataDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('annexed [p. 999] ⚠ (no such passage).');
    expect(r.stdout).toContain('30 days [§ 1.1].');
    const id = /Session ([0-9A-Z]{26})/.exec(r.stdout)![1]!;
    const show = await runCli(['show', id], { dataDir });
    expect(show.stdout).toContain('annexed [p. 999] ⚠ (no such passage).');
    expect(show.stdout).toContain('30 days [§ 1.1].');
  });
});
