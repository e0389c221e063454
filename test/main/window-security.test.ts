import type { BrowserWindow, BrowserWindowConstructorOptions, Session } from 'electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  APP_ENTRY_URL, contentSecurityPolicy, createAppProtocolHandler, guardSession, isSafeExternalUrl, parseDevServerUrl, PRIVILEGED_SCHEMES,
  resolveRendererFile,
} from '../../electron/main/security.ts';
import { createMainWindow, mainWindowOptions, readWindowState, visibleOn } from '../../electron/main/window.ts';
import { FakeBrowserWindow, FakeSession } from './fake-window.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-window-'));
  FakeBrowserWindow.created = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function openWindow(dev = false) {
  return createMainWindow({
    BrowserWindow: FakeBrowserWindow as unknown as new (o: BrowserWindowConstructorOptions) => BrowserWindow,
    preload: '/app/dist-electron/preload.cjs',
    dev,
    url: APP_ENTRY_URL,
    stateFile: path.join(dir, 'window-state.json'),
    workAreas: () => [{ x: 0, y: 0, width: 1920, height: 1080 }],
    log: () => undefined,
  }) as unknown as FakeBrowserWindow;
}

describe('the main window', () => {
  test('is isolated, sandboxed, without Node, with web security, and no DevTools outside development', () => {
    const win = openWindow();
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
      webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, devTools: false, preload: '/app/dist-electron/preload.cjs',
    });
    expect(win.loaded).toBe('cairn://app/index.html');
    expect(mainWindowOptions({ preload: 'p', dev: true, state: null }).webPreferences?.devTools).toBe(true);
  });

  test('refuses every navigation, redirect, webview and window.open', () => {
    const win = openWindow();
    for (const url of ['https://evil.example/', 'cairn://app/other.html', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(win.webContents.attempt('will-navigate', url)).toBe(true);
      expect(win.webContents.attempt('will-redirect', url)).toBe(true);
      expect(win.webContents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(win.webContents.attempt('will-attach-webview', 'https://x.example')).toBe(true);
  });

  test('closes DevTools if they are opened in a production build', () => {
    const win = openWindow(false);
    win.webContents.emit('devtools-opened');
    expect(win.webContents.devToolsClosed).toBe(1);
    const devWin = openWindow(true);
    devWin.webContents.emit('devtools-opened');
    expect(devWin.webContents.devToolsClosed).toBe(0);
  });

  test('remembers its bounds in a file of its own and ignores bounds that are off every screen', () => {
    const win = openWindow();
    win.bounds = { x: 100, y: 120, width: 1111, height: 777 };
    win.emit('close');
    const state = readWindowState(path.join(dir, 'window-state.json'));
    expect(state).toEqual({ x: 100, y: 120, width: 1111, height: 777, maximized: false });
    const again = openWindow();
    expect(again.options).toMatchObject({ x: 100, y: 120, width: 1111, height: 777 });
    expect(visibleOn({ ...state!, x: 5000 }, [{ x: 0, y: 0, width: 1920, height: 1080 }])).toBe(false);
    fs.writeFileSync(path.join(dir, 'window-state.json'), '{ not json');
    expect(openWindow().options).toMatchObject({ width: 1280, height: 820 });
  });
});

describe('content security policy', () => {
  test('allows only our own origin, no inline script, no remote anything', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; " +
        "object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
  });

  test('the dev policy only adds what Vite needs, for the local dev origin', () => {
    const csp = contentSecurityPolicy('http://localhost:5173');
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(parseDevServerUrl('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(parseDevServerUrl('https://evil.example:5173/')).toBeNull();
    expect(parseDevServerUrl(undefined)).toBeNull();
  });

  test('the cairn scheme is standard and secure', () => {
    expect(PRIVILEGED_SCHEMES).toEqual([{ scheme: 'cairn', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(PRIVILEGED_SCHEMES[0]!.privileges).not.toHaveProperty('bypassCSP');
  });
});

describe('the session', () => {
  function guarded(devOrigin: string | null = null) {
    const s = new FakeSession();
    guardSession(s as unknown as Session, { devOrigin });
    return s;
  }

  test('denies every permission request and check', () => {
    const s = guarded();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      let granted: boolean | null = null;
      (s.permissionRequest as unknown as (w: unknown, p: string, cb: (g: boolean) => void) => void)({}, permission, (g) => (granted = g));
      expect(granted).toBe(false);
      expect(s.permissionCheck?.({}, permission, 'cairn://app', {})).toBe(false);
    }
  });

  test('cancels every request that is not for our own pages', () => {
    const s = guarded();
    const verdict = (url: string) => {
      let cancel: boolean | undefined;
      (s.beforeRequest as unknown as (d: { url: string }, cb: (r: { cancel?: boolean }) => void) => void)({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(verdict('cairn://app/assets/index.js')).toBe(false);
    expect(verdict('https://evil.example/x.png')).toBe(true);
    expect(verdict('http://localhost:5173/')).toBe(true);
    const dev = guarded('http://localhost:5173');
    let devCancel: boolean | undefined;
    (dev.beforeRequest as unknown as (d: { url: string }, cb: (r: { cancel?: boolean }) => void) => void)({ url: 'http://localhost:5173/src/main.tsx' }, (r) => (devCancel = r.cancel));
    expect(devCancel).toBe(false);
  });

  test('replaces any CSP header with ours', () => {
    const s = guarded();
    let headers: Record<string, string[]> | undefined;
    (s.headersReceived as unknown as (d: unknown, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void)(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'x-other': ['1'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers).toEqual({ 'x-other': ['1'], 'Content-Security-Policy': [contentSecurityPolicy()] });
  });
});

describe('the cairn:// protocol handler', () => {
  let root: string;
  beforeEach(() => {
    root = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Cairn</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP SECRET');
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  });

  test('serves files under the renderer folder with the CSP header', async () => {
    const handle = createAppProtocolHandler(root);
    const index = await handle(new Request('cairn://app/'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(await index.text()).toContain('<title>Cairn</title>');
    const js = await handle(new Request('cairn://app/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await handle(new Request('cairn://app/missing.js'))).status).toBe(404);
  });

  test.each([
    'cairn://app/../secret.txt',
    'cairn://app/%2e%2e/secret.txt',
    'cairn://app/assets/..%2f..%2fsecret.txt',
    'cairn://app/assets/%2e%2e%5c%2e%2e%5csecret.txt',
    'cairn://app/assets/link.txt',
    'cairn://app/%00index.html',
    'cairn://other/index.html',
  ])('refuses %s', async (url) => {
    const handle = createAppProtocolHandler(root);
    const r = await handle(new Request(url));
    expect([403, 404]).toContain(r.status);
    expect(await r.text()).not.toContain('TOP SECRET');
    expect(r.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
  });

  test('maps URLs to files strictly inside the folder', async () => {
    const real = fs.realpathSync(root);
    expect(await resolveRendererFile(root, 'cairn://app/assets/app.js')).toBe(path.join(real, 'assets', 'app.js'));
    expect(await resolveRendererFile(root, 'cairn://app/assets/link.txt')).toBeNull();
    expect(await resolveRendererFile(root, 'https://app/index.html')).toBeNull();
    expect(await resolveRendererFile(root, 'cairn://user:pw@app/index.html')).toBeNull();
  });

  test('answers only GET and HEAD', async () => {
    const handle = createAppProtocolHandler(root);
    expect((await handle(new Request('cairn://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('external links', () => {
  test.each([
    ['https://example.com/page', true],
    ['http://example.com', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['cairn://app/index.html', false],
    ['smb://server/share', false],
    ['https://user:pw@example.com', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => {
    expect(isSafeExternalUrl(url)).toBe(ok);
  });
});
