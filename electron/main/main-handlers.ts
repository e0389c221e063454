// The channels main answers itself, because they touch what the engine and
// the page must not: settings, the encrypted keys, OS dialogs, the OS browser.
// Keys go in (keys:set) and never come out: every answer is a KeyStatus.
import type { Handler } from './ipc-router.ts';
import { IpcFailure } from '../service/ipc-errors.ts';
import type { FileGrants } from './file-grants.ts';
import type { KeyStore } from './key-store.ts';
import { isSafeExternalUrl } from './security.ts';
import type { SettingsStore } from './settings-store.ts';
import { looksLikeSecretHeader, originOf, SIMULATOR_PROVIDER_NAME, withBuiltInSimulator } from '../../shared/providers.ts';
import type { MainChannelName } from '../../shared/ipc/index.ts';
import type { ProviderProfile } from '../../shared/domain.ts';
import type { Settings } from '../../shared/settings.ts';

export interface MainHandlerDeps {
  settings: SettingsStore;
  keys: KeyStore;
  appInfo: () => { version: string; platform: string; dataDir: string; systemLanguages?: string[] };
  openExternal: (url: string) => Promise<void>;
  /**
   * A native dialog shown by main, never by the page: what a compromised
   * renderer must not be able to approve on the user's behalf. True when the
   * user chose `confirm`.
   */
  confirm: (question: { message: string; detail: string; confirm: string; cancel: string }) => Promise<boolean>;
  /** The text of "Copy diagnostics" (versions, settings without secrets, log tail, verify), redacted. */
  diagnostics?: () => Promise<string>;
  /** Electron's clipboard in main: the page's navigator.clipboard needs a permission Cairn denies. */
  writeClipboard: (text: string) => void;
  pickDocuments: () => Promise<string[]>;
  /** The open dialog for one session file (Import session); empty when cancelled. */
  pickSessionFile?: () => Promise<string[]>;
  /** Files the user chose: what is picked or dropped becomes readable by the document channels. */
  files: FileGrants;
  /** Settings were saved: tell the engine and the window. */
  onSettingsChanged: (settings: Settings) => void;
  /** A key was stored or removed: the engine needs the new set. */
  onKeysChanged: () => void;
  log?: (line: string) => void;
}

export type MainHandlers = { [C in MainChannelName]: Handler<C> };

/** Splits a profile's headers into plain ones and credentials, which belong in the key store. */
function splitHeaders(profile: ProviderProfile): { plain: Record<string, string>; secret: Record<string, string> } {
  const declared = new Set(profile.secretHeaders ?? []);
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [name, value] of Object.entries(profile.headers)) {
    if (declared.has(name) || looksLikeSecretHeader(name)) {
      if (value.trim()) secret[name] = value;
    } else {
      plain[name] = value;
    }
  }
  return { plain, secret };
}

export function createMainHandlers(deps: MainHandlerDeps): MainHandlers {
  const log = deps.log ?? (() => undefined);
  const saveProviders = (providers: ProviderProfile[], defaultProvider: string | null) => {
    const next = deps.settings.update({ providers, defaultProvider });
    deps.onSettingsChanged(next);
    return { items: withBuiltInSimulator(next.providers) };
  };
  const warnings = () => [deps.settings.warning, deps.keys.warning].filter((w): w is string => !!w).join('\n\n') || null;

  return {
    'settings:get': () => deps.settings.get(),
    'settings:set': (patch) => {
      const next = deps.settings.update(patch);
      deps.onSettingsChanged(next);
      return next;
    },
    'keys:status': () => deps.keys.status(),
    'keys:set': async ({ profile, key }) => {
      // The key is bound to the address of the provider it is saved for, and is only ever sent there.
      const origins = new Set(deps.settings.get().providers
        .filter((p) => p.keySource.kind === 'keystore' && p.keySource.profile === profile)
        .map((p) => originOf(p.baseUrl)));
      const [origin, ...more] = [...origins];
      if (!origin) throw new IpcFailure('no_provider', `No saved provider uses the key "${profile}".`, 'Save the provider in Settings → Providers first, then enter its key.');
      if (more.length) throw new IpcFailure('ambiguous_provider', `Providers at different addresses (${[...origins].join(', ')}) share the key "${profile}".`, 'Give each provider its own key.');
      const status = await deps.keys.set(profile, key, origin);
      deps.onKeysChanged();
      return status;
    },
    'keys:delete': async ({ profile }) => {
      const status = await deps.keys.delete(profile);
      deps.onKeysChanged();
      return status;
    },
    'app:info': () => {
      const info = deps.appInfo();
      return { version: info.version, dataDir: info.dataDir, platform: info.platform, settingsWarning: warnings(), ...(info.systemLanguages ? { systemLanguages: info.systemLanguages.slice(0, 20) } : {}) };
    },
    'app:openExternal': async ({ url }) => {
      if (!isSafeExternalUrl(url)) {
        log(`openExternal: refused a non-web link (${url.slice(0, 40)}…)`);
        throw new IpcFailure('refused_url', 'Only http and https links can be opened outside Cairn.', 'The link was not opened. Copy it if you trust it.');
      }
      // Asked here, in a native dialog, because the page cannot prove that a person clicked the link.
      const approved = await deps.confirm({
        message: 'Open this link in your browser?',
        detail: `${url}\n\nLinks in Cairn can come from documents and model output. Open it only if you trust where it leads.`,
        confirm: 'Open link',
        cancel: 'Cancel',
      });
      if (!approved) return { opened: false };
      await deps.openExternal(url);
      return { opened: true };
    },
    'app:diagnostics': async () => {
      if (!deps.diagnostics) throw new IpcFailure('not_available', 'Diagnostics are not available in this build.');
      return { text: (await deps.diagnostics()).slice(0, 2_000_000) };
    },
    'app:copyText': ({ text }) => {
      deps.writeClipboard(text);
      return { copied: true as const };
    },
    'documents:pick': async () => ({ paths: deps.files.grant(await deps.pickDocuments()) }),
    'documents:dropped': ({ paths }) => ({ paths: deps.files.grant(paths) }),
    'sessions:pickImport': async () => {
      if (!deps.pickSessionFile) throw new IpcFailure('not_available', 'Importing a session is not available in this build.');
      return { path: deps.files.grant((await deps.pickSessionFile()).slice(0, 1))[0] ?? null };
    },
    'providers:list': () => ({ items: withBuiltInSimulator(deps.settings.get().providers) }),
    'providers:save': async ({ profile: incoming }) => {
      if (incoming.name === SIMULATOR_PROVIDER_NAME) throw new IpcFailure('reserved_name', `"${SIMULATOR_PROVIDER_NAME}" is the built-in simulator's name.`, 'Give your provider another name.');
      const current = deps.settings.get();
      const others = current.providers.filter((p) => p.name !== incoming.name);
      if (others.length >= 100) throw new IpcFailure('too_many_providers', 'At most 100 provider profiles can be saved.', 'Delete one you no longer use.');
      const origin = originOf(incoming.baseUrl);
      if (!origin) throw new IpcFailure('invalid_input', 'The base URL must be an http or https address.', 'For example https://api.openai.com/v1.');

      // Credentials in "Extra headers" go to the key store; settings and sessions keep their names only.
      const { plain, secret } = splitHeaders(incoming);
      const stored = deps.keys.headerEntries(incoming.name);
      const keepNames = new Set([...Object.keys(secret), ...(incoming.secretHeaders ?? []).filter((n) => stored.some((h) => h.name === n))]);

      // A stored secret is sent only to the origin it was saved for; moving it is the user's decision, asked by main.
      const keyProfile = incoming.keySource.kind === 'keystore' ? incoming.keySource.profile : null;
      const keyOrigin = keyProfile === null ? undefined : deps.keys.originOf(keyProfile);
      const keyMoves = keyProfile !== null && keyOrigin !== undefined && keyOrigin !== origin;
      const headersMoving = stored.filter((h) => keepNames.has(h.name) && !(h.name in secret) && h.origin !== origin);
      let moveApproved = false;
      if (keyMoves || headersMoving.length > 0) {
        const what = [keyMoves ? 'its stored API key' : null, headersMoving.length ? `its stored header${headersMoving.length > 1 ? 's' : ''} ${headersMoving.map((h) => h.name).join(', ')}` : null].filter(Boolean).join(' and ');
        const from = [...new Set([keyMoves ? keyOrigin : undefined, ...headersMoving.map((h) => h.origin)].filter((o) => o !== undefined))].map((o) => o ?? 'an address Cairn did not record').join(', ');
        moveApproved = await deps.confirm({
          message: `Send ${what} for "${incoming.name}" to ${origin}?`,
          detail: `It was saved for ${from}. If you did not just change this provider's address, choose "${'Remove the key'}": Cairn then deletes the stored secret, and you can enter it again.`,
          confirm: `Send it to ${origin}`,
          cancel: 'Remove the key',
        });
        log(`providers: moving the stored secrets of "${incoming.name}" to ${origin} was ${moveApproved ? 'approved' : 'declined; they were removed'}`);
        if (keyMoves && keyProfile !== null) {
          if (moveApproved) deps.keys.rebind(keyProfile, origin);
          else await deps.keys.delete(keyProfile);
        }
        if (!moveApproved) for (const h of headersMoving) keepNames.delete(h.name);
      }
      for (const [name, value] of Object.entries(secret)) await deps.keys.setHeader(incoming.name, name, value, origin);
      deps.keys.retainHeaders(incoming.name, [...keepNames], moveApproved ? origin : undefined);

      const { secretHeaders: _declared, ...rest } = incoming;
      const profile: ProviderProfile = { ...rest, headers: plain, ...(keepNames.size ? { secretHeaders: [...keepNames].sort() } : {}) };
      const index = current.providers.findIndex((p) => p.name === profile.name);
      const providers = index === -1 ? [...current.providers, profile] : current.providers.map((p, i) => (i === index ? profile : p));
      const result = saveProviders(providers, current.defaultProvider ?? profile.name);
      if (keyMoves || Object.keys(secret).length || stored.length !== keepNames.size || moveApproved) deps.onKeysChanged();
      return result;
    },
    'providers:delete': async ({ name }) => {
      if (name === SIMULATOR_PROVIDER_NAME) throw new IpcFailure('reserved_name', 'The built-in simulator cannot be removed.', 'It costs nothing and is only used when you pick it.');
      const current = deps.settings.get();
      const existing = current.providers.find((p) => p.name === name);
      if (!existing) throw new IpcFailure('not_found', `There is no provider profile named "${name}".`, 'Refresh the list in Settings → Providers.');
      const result = saveProviders(current.providers.filter((p) => p.name !== name), current.defaultProvider === name ? null : current.defaultProvider);
      if (deps.keys.headerEntries(name).length) {
        deps.keys.retainHeaders(name, []);
        deps.onKeysChanged();
      }
      // A profile's stored key goes with it, unless another profile still uses it.
      if (existing.keySource.kind === 'keystore') {
        const profileKey = existing.keySource.profile;
        const stillUsed = result.items.some((p) => p.keySource.kind === 'keystore' && p.keySource.profile === profileKey);
        if (!stillUsed && (await deps.keys.status()).stored.includes(profileKey)) {
          await deps.keys.delete(profileKey);
          deps.onKeysChanged();
        }
      }
      return result;
    },
  };
}

/**
 * Once at start: secrets saved by an older Cairn are moved where they belong.
 * Credential headers kept in settings go to the key store; keys stored before
 * origins were kept are bound to the one origin of the providers that use them
 * (left unbound, and so sent nowhere, when there is no single one).
 */
export async function moveLegacySecrets(deps: Pick<MainHandlerDeps, 'settings' | 'keys' | 'log'>): Promise<void> {
  const log = deps.log ?? (() => undefined);
  const current = deps.settings.get();
  let changed = false;
  const providers: ProviderProfile[] = [];
  for (const p of current.providers) {
    const origin = originOf(p.baseUrl);
    const { plain, secret } = splitHeaders(p);
    const names = Object.keys(secret);
    if (!origin || names.length === 0 || !(await deps.keys.encryptionAvailable())) {
      providers.push(p);
      continue;
    }
    for (const [name, value] of Object.entries(secret)) await deps.keys.setHeader(p.name, name, value, origin);
    providers.push({ ...p, headers: plain, secretHeaders: [...new Set([...(p.secretHeaders ?? []), ...names])].sort() });
    log(`providers: moved ${names.length} credential header(s) of "${p.name}" from the settings file to the key store`);
    changed = true;
  }
  if (changed && deps.settings.persistent) deps.settings.update({ providers });
  for (const profile of deps.keys.profiles()) {
    if (deps.keys.originOf(profile) !== null) continue;
    const origins = new Set(providers.filter((p) => p.keySource.kind === 'keystore' && p.keySource.profile === profile).map((p) => originOf(p.baseUrl)));
    const [only, ...more] = [...origins];
    if (only && more.length === 0) {
      deps.keys.rebind(profile, only);
    } else {
      log(`keys: the key "${profile}" is not bound to an address; it is not sent until it is entered again`);
    }
  }
}

