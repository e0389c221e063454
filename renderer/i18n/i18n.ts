// The interface's words: one i18next instance with the English and Vietnamese catalogs
// (shared/locales/) and the pseudo-locale made from English. Plurals come from
// Intl.PluralRules (i18next's `_one`/`_other` keys); numbers and dates go through Intl
// with intlLocale().
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { UI_LANGUAGES, type LanguageSetting, type UiLanguage } from '../../shared/settings.ts';
import en from '../../shared/locales/en.json';
import vi from '../../shared/locales/vi.json';
import { pseudoCatalog } from './pseudo.ts';

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: en },
    vi: { translation: vi },
    'en-XA': { translation: pseudoCatalog(en) },
  },
  lng: detectLanguage(browserLanguages()),
  fallbackLng: 'en',
  supportedLngs: [...UI_LANGUAGES],
  // Reason codes carry ':' (engine category:code); keys never name a namespace.
  nsSeparator: false,
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  initAsync: false,
});

function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
}

/** The first of the OS's languages that Cairn speaks; English otherwise. */
export function detectLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower === 'en-xa') return 'en-XA';
    if (lower === 'vi' || lower.startsWith('vi-')) return 'vi';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** The language the setting asks for: its own, or the system's (main's list first, then the browser's). */
export function resolveLanguage(setting: LanguageSetting, systemLanguages?: readonly string[]): UiLanguage {
  if (setting !== 'system') return setting;
  return detectLanguage([...(systemLanguages ?? []), ...browserLanguages()]);
}

/** Switches every translated component at once, without a restart. */
export function setLanguage(lang: UiLanguage): void {
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang === 'en-XA' ? 'en' : lang;
}

/** The BCP 47 locale Intl formats with for the current language. */
export function intlLocale(): string {
  const lang = i18n.language;
  if (lang === 'vi') return 'vi-VN';
  if (lang === 'en-XA') return 'en';
  return 'en-US';
}
