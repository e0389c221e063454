// The renderer shows model output, which can contain anything, so the page is
// treated as hostile: it is served only from our own `cairn://app/` scheme
// with a strict Content-Security-Policy, it cannot navigate or open windows,
// every permission request is denied, and an external link reaches the OS
// browser only through the app:openExternal channel after `isSafeExternalUrl`.
import type { CustomScheme, Session, WebContents } from 'electron';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const APP_SCHEME = 'cairn';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Must be registered before `ready`: a standard, secure scheme so the page gets a real origin and fetch works. */
export const PRIVILEGED_SCHEMES: CustomScheme[] = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
];

/**
 * The production policy. React sets styles through the CSSOM, which CSP does
 * not restrict, so no 'unsafe-inline' is needed anywhere.
 */
export function contentSecurityPolicy(devOrigin: string | null = null): string {
  const self = "'self'";
  // Vite's dev server injects an inline React-refresh preamble and talks over a WebSocket.
  const dev = devOrigin ? new URL(devOrigin) : null;
  const devWs = dev ? `${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}` : null;
  const directives: Array<[string, string[]]> = [
    ['default-src', [self]],
    ['script-src', dev ? [self, "'unsafe-inline'"] : [self]],
    ['style-src', dev ? [self, "'unsafe-inline'"] : [self]],
    ['img-src', [self, 'data:']],
    ['font-src', [self]],
    ['connect-src', dev && devWs ? [self, devWs] : [self]],
    ['worker-src', [self]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Maps a `cairn://app/...` URL to a file under `rootDir`, or null when the URL
 * is not ours or tries to leave the folder (`..`, encoded slashes, NUL, a
 * symlink pointing outside). The folder itself must already be a real path.
 */
export async function resolveRendererFile(rootDir: string, rawUrl: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return null;
  // The URL parser already folded `/../`; what is left must not smuggle separators or NULs in escapes.
  if (/%2f|%5c|%00/i.test(url.pathname) || url.pathname.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split('/').some((seg) => seg === '..')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = await fs.realpath(rootDir);
  const candidate = path.resolve(root, relative);
  if (!isInside(root, candidate)) return null;
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    return candidate; // missing: the handler answers 404; nothing outside was touched
  }
  return isInside(root, real) ? real : null;
}

function plain(status: number, text: string, csp: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': csp, 'x-content-type-options': 'nosniff' } });
}

/** The `protocol.handle` handler for `cairn:`: GET only, files under `rootDir` only, CSP on every response. */
export function createAppProtocolHandler(rootDir: string, csp: string = contentSecurityPolicy()): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed', csp);
    const file = await resolveRendererFile(rootDir, request.url);
    if (!file) return plain(403, 'Forbidden', csp);
    let body: Buffer;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) return plain(404, 'Not found', csp);
      body = await fs.readFile(file);
    } catch {
      return plain(404, 'Not found', csp);
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { 'content-type': type, 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' },
    });
  };
}

/** Only plain web links leave the app; everything else (file:, javascript:, custom schemes, user:pass@ tricks) is refused. */
/** Only a local Vite dev server may stand in for the packaged renderer. */
export function parseDevServerUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    return (url.protocol === 'http:' || url.protocol === 'https:') && local ? url.origin : null;
  } catch {
    return null;
  }
}

export function isSafeExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && !url.username && !url.password;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'closeDevTools'>;

export interface GuardOptions {
  allowDevTools: boolean;
  log?: (line: string) => void;
}

const guarded = new WeakSet<object>();

/** In-page navigation, redirects, new windows and webviews are all refused: the app is one page. Idempotent. */
export function guardWebContents(contents: GuardedContents, opts: GuardOptions): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const log = opts.log ?? (() => undefined);
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`security: navigation to ${url.slice(0, 200)} refused`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`security: redirect to ${url.slice(0, 200)} refused`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('security: webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`security: window.open(${url.slice(0, 200)}) refused`);
    return { action: 'deny' };
  });
  if (!opts.allowDevTools) {
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

type GuardedSession = {
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived' | 'onBeforeRequest'>;
};

/**
 * Denies every permission, cancels any request that is not for our own pages
 * (so no remote content loads even if a CSP were bypassed), and stamps the CSP
 * on dev-server responses (custom-scheme responses carry it from the handler).
 */
export function guardSession(session: GuardedSession, opts: { devOrigin: string | null; log?: (line: string) => void }): void {
  const log = opts.log ?? (() => undefined);
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`security: permission ${permission} denied`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  const allowed = (url: string): boolean => {
    if (url.startsWith(`${APP_ORIGIN}/`) || url.startsWith('devtools:') || url.startsWith('data:')) return true;
    if (!opts.devOrigin) return false;
    try {
      const u = new URL(url);
      const dev = new URL(opts.devOrigin);
      return u.host === dev.host && (u.protocol === dev.protocol || u.protocol === (dev.protocol === 'https:' ? 'wss:' : 'ws:'));
    } catch {
      return false;
    }
  };
  session.webRequest.onBeforeRequest((details, callback) => {
    const ok = allowed(details.url);
    if (!ok) log(`security: request to ${details.url.slice(0, 200)} cancelled`);
    callback({ cancel: !ok });
  });
  const csp = contentSecurityPolicy(opts.devOrigin);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
}
