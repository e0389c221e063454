// The log file: main and the engine write to it, it rotates by size, it is
// for its owner only, and no key or secret header value ever reaches it, nor
// the diagnostics built from it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { collectDiagnostics } from '../../electron/service/diagnostics.ts';
import { logFileIn, Redactor, RotatingLog, tailLog } from '../../electron/service/log-file.ts';
import { main } from '../../electron/cli/main.ts';
import { SettingsSchema } from '../../shared/settings.ts';

const KEY = 'sk-fake-LOGGED-KEY-3333';
const STORED = 'fake-stored-gateway-value-4444';
const HEADER = 'fake-header-secret-5555';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-log-'));
  dirs.push(d);
  return d;
};
const everything = (dir: string) => fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');

describe('log file', () => {
  test('redacts known secrets and anything shaped like a credential', () => {
    const dir = tempDir();
    const redactor = new Redactor();
    redactor.add([STORED]);
    const log = new RotatingLog({ file: logFileIn(dir), redactor });
    log.write(`provider: request failed with Authorization: Bearer ${KEY}`);
    log.write(`headers {"api-key":"${HEADER}"} and x-api-key=${HEADER}`);
    log.write(`engine: ${STORED} leaked into an error message`);
    log.write(`url https://user:${HEADER}@gateway.example/v1 and ${KEY}`);
    log.write('keys: stored a key for profile "Work" (bound to https://api.example.com)');
    const text = everything(path.dirname(log.file));
    for (const secret of [KEY, STORED, HEADER]) expect(text).not.toContain(secret);
    expect(text).toContain('stored a key for profile "Work"');
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
    if (process.platform !== 'win32') {
      expect(fs.statSync(log.file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(log.file)).mode & 0o777).toBe(0o700);
    }
  });

  test('rotates by size, keeping a fixed number of files, and tails across the newest two', () => {
    const dir = tempDir();
    const log = new RotatingLog({ file: logFileIn(dir), maxBytes: 400, keep: 2 });
    for (let i = 0; i < 60; i++) log.write(`line ${i} ${'x'.repeat(20)}`);
    const files = fs.readdirSync(path.dirname(log.file)).sort();
    expect(files).toEqual(['cairn.log', 'cairn.log.1', 'cairn.log.2']);
    for (const f of files) expect(fs.statSync(path.join(path.dirname(log.file), f)).size).toBeLessThanOrEqual(400);
    const tail = tailLog(log.file, 5);
    expect(tail.at(-1)).toContain('line 59');
    expect(tail).toHaveLength(5);
  });

  test('diagnostics carry versions, settings without header values, the log tail and verify, and no secret', () => {
    const dir = tempDir();
    const log = new RotatingLog({ file: logFileIn(dir) });
    log.write('engine: started');
    const settings = SettingsSchema.parse({
      providers: [{ name: 'Gateway', baseUrl: 'https://gateway.example/v1', model: 'm', headers: { 'X-Title': 'Cairn' }, secretHeaders: ['x-api-key'], keySource: { kind: 'keystore', profile: 'Gateway' } }],
    });
    const redactor = new Redactor();
    redactor.add([KEY]);
    const text = collectDiagnostics({
      appVersion: '0.1.0', versions: { electron: '45.5.0', node: process.versions.node }, platform: 'linux', dataDir: dir, settings,
      logFile: log.file, verify: { ok: true, checkedCheckpoints: 3, checkedBlobs: 2, damaged: [], integrityCheck: 'ok' }, redactor,
    });
    expect(text).toContain('Cairn 0.1.0 on linux');
    expect(text).toContain('electron 45.5.0');
    expect(text).toContain('verify: ok; 3 checkpoints');
    expect(text).toContain('engine: started');
    expect(text).toContain('"x-api-key"');
    expect(text).not.toContain(KEY);
  });

  test('cairn diagnostics prints the same report from the shared data folder', async () => {
    const dir = tempDir();
    new RotatingLog({ file: logFileIn(dir) }).write(`engine: failed with Bearer ${KEY}`);
    let out = '';
    const code = await main(['--data-dir', dir, 'diagnostics'], { out: (t) => void (out += t), err: () => undefined, isTTY: false, canAsk: false, ask: async () => '' });
    expect(code).toBe(0);
    expect(out).toContain('verify: ok');
    expect(out).toContain('engine: failed with Bearer [redacted]');
    expect(out).not.toContain(KEY);
  });
});
