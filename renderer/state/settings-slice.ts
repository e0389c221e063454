import type { StateCreator } from 'zustand';
import type { ProviderProfile } from '../../shared/domain.ts';
import type { ResponseOf } from '../../shared/ipc/index.ts';
import type { Settings, SettingsPatch } from '../../shared/settings.ts';
import type { Api } from '../api.ts';
import { i18n } from '../i18n/i18n.ts';
import type { AppState, LoadState } from './app-store.ts';
import { asReason } from './ui-slice.ts';

export type KeyStatus = ResponseOf<'keys:status'>;
export type AppInfo = ResponseOf<'app:info'>;

export interface SettingsSlice {
  settings: {
    value: Settings | null;
    providers: ProviderProfile[];
    keys: KeyStatus | null;
    info: AppInfo | null;
    load: LoadState;
  };
  loadSettings(): Promise<void>;
  saveSettings(patch: SettingsPatch, what?: string): Promise<boolean>;
  setSettingsValue(value: Settings): void;
  saveProvider(profile: ProviderProfile): Promise<boolean>;
  deleteProvider(name: string): Promise<boolean>;
  setKey(profile: string, key: string): Promise<boolean>;
  deleteKey(profile: string): Promise<boolean>;
}

export const createSettingsSlice = (api: Api): StateCreator<AppState, [], [], SettingsSlice> => (set, get) => ({
  settings: { value: null, providers: [], keys: null, info: null, load: { status: 'idle' } },
  loadSettings: async () => {
    // The shell and the settings view both ask at start-up: one request is enough.
    if (get().settings.load.status === 'loading') return;
    set((s) => ({ settings: { ...s.settings, load: { status: 'loading' } } }));
    try {
      const [value, providers, keys, info] = await Promise.all([api.settingsGet({}), api.providersList({}), api.keysStatus({}), api.appInfo({})]);
      set({ settings: { value, providers: providers.items, keys, info, load: { status: 'ready' } } });
    } catch (error) {
      set((s) => ({ settings: { ...s.settings, load: { status: 'error', error: asReason(error) } } }));
    }
  },
  setSettingsValue: (value) => set((s) => ({ settings: { ...s.settings, value } })),
  saveSettings: async (patch, what = i18n.t('settings.whatSettings')) => {
    try {
      const value = await api.settingsSet(patch);
      set((s) => ({ settings: { ...s.settings, value } }));
      get().pushToast({ kind: 'success', message: i18n.t('settings.saved', { what }) });
      return true;
    } catch (error) {
      get().reportError(error, i18n.t('settings.notSaved', { what }));
      return false;
    }
  },
  saveProvider: async (profile) => {
    try {
      const { items } = await api.providersSave({ profile });
      set((s) => ({ settings: { ...s.settings, providers: items } }));
      get().pushToast({ kind: 'success', message: i18n.t('toast.providerSaved', { name: profile.name }) });
      return true;
    } catch (error) {
      get().reportError(error, i18n.t('toast.providerNotSaved'));
      return false;
    }
  },
  deleteProvider: async (name) => {
    try {
      const { items } = await api.providersDelete({ name });
      set((s) => ({ settings: { ...s.settings, providers: items } }));
      get().pushToast({ kind: 'info', message: i18n.t('toast.providerRemoved', { name }) });
      return true;
    } catch (error) {
      get().reportError(error, i18n.t('toast.providerNotRemoved'));
      return false;
    }
  },
  setKey: async (profile, key) => {
    try {
      const keys = await api.keysSet({ profile, key });
      set((s) => ({ settings: { ...s.settings, keys } }));
      get().pushToast({ kind: 'success', message: i18n.t('toast.keyStored', { name: profile }) });
      return true;
    } catch (error) {
      get().reportError(error, i18n.t('toast.keyNotStored'));
      return false;
    }
  },
  deleteKey: async (profile) => {
    try {
      const keys = await api.keysDelete({ profile });
      set((s) => ({ settings: { ...s.settings, keys } }));
      get().pushToast({ kind: 'info', message: i18n.t('toast.keyDeleted', { name: profile }) });
      return true;
    } catch (error) {
      get().reportError(error, i18n.t('toast.keyNotDeleted'));
      return false;
    }
  },
});

export { asReason };
