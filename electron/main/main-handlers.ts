// The channels main answers itself, because they touch what the engine and
// the page must not: settings, the encrypted keys, OS dialogs, the OS browser.
// Keys go in (keys:set) and never come out: every answer is a KeyStatus.
import type { Handler } from './ipc-router.ts';
import { IpcFailure } from '../service/ipc-errors.ts';
import type { KeyStore } from './key-store.ts';
import { isSafeExternalUrl } from './security.ts';
import type { SettingsStore } from './settings-store.ts';
import { SIMULATOR_PROVIDER_NAME, withBuiltInSimulator } from '../../shared/providers.ts';
import type { MainOnlyChannel } from '../service/types.ts';
import type { ProviderProfile } from '../../shared/domain.ts';
import type { Settings } from '../../shared/settings.ts';

export interface MainHandlerDeps {
  settings: SettingsStore;
  keys: KeyStore;
  appInfo: () => { version: string; platform: string; dataDir: string };
  openExternal: (url: string) => Promise<void>;
  pickDocuments: () => Promise<string[]>;
  /** Settings were saved: tell the engine and the window. */
  onSettingsChanged: (settings: Settings) => void;
  /** A key was stored or removed: the engine needs the new set. */
  onKeysChanged: () => void;
  log?: (line: string) => void;
}

export type MainHandlers = { [C in MainOnlyChannel]: Handler<C> };

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
      const status = await deps.keys.set(profile, key);
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
      return { version: info.version, dataDir: info.dataDir, platform: info.platform, settingsWarning: warnings() };
    },
    'app:openExternal': async ({ url }) => {
      if (!isSafeExternalUrl(url)) {
        log(`openExternal: refused a non-web link (${url.slice(0, 40)}…)`);
        throw new IpcFailure('refused_url', 'Only http and https links can be opened outside Cairn.', 'The link was not opened. Copy it if you trust it.');
      }
      await deps.openExternal(url);
      return { opened: true };
    },
    'documents:pick': async () => ({ paths: await deps.pickDocuments() }),
    'providers:list': () => ({ items: withBuiltInSimulator(deps.settings.get().providers) }),
    'providers:save': ({ profile }) => {
      if (profile.name === SIMULATOR_PROVIDER_NAME) throw new IpcFailure('reserved_name', `"${SIMULATOR_PROVIDER_NAME}" is the built-in simulator's name.`, 'Give your provider another name.');
      const current = deps.settings.get();
      const others = current.providers.filter((p) => p.name !== profile.name);
      if (others.length >= 100) throw new IpcFailure('too_many_providers', 'At most 100 provider profiles can be saved.', 'Delete one you no longer use.');
      const index = current.providers.findIndex((p) => p.name === profile.name);
      const providers = index === -1 ? [...current.providers, profile] : current.providers.map((p, i) => (i === index ? profile : p));
      return saveProviders(providers, current.defaultProvider ?? profile.name);
    },
    'providers:delete': async ({ name }) => {
      if (name === SIMULATOR_PROVIDER_NAME) throw new IpcFailure('reserved_name', 'The built-in simulator cannot be removed.', 'It costs nothing and is only used when you pick it.');
      const current = deps.settings.get();
      const existing = current.providers.find((p) => p.name === name);
      if (!existing) throw new IpcFailure('not_found', `There is no provider profile named "${name}".`, 'Refresh the list in Settings → Providers.');
      const result = saveProviders(current.providers.filter((p) => p.name !== name), current.defaultProvider === name ? null : current.defaultProvider);
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
