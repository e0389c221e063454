import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n/i18n.ts';
import type { Route, SettingsSection } from '../state/ui-slice.ts';
import { useNavigate } from '../state/hooks.ts';

interface HintTarget {
  label: string;
  route: Route;
}

const SECTION_WORDS: [RegExp, SettingsSection, 'providers' | 'keys' | 'prices'][] = [
  [/providers?/i, 'providers', 'providers'],
  [/keys?/i, 'keys', 'keys'],
  [/price/i, 'prices', 'prices'],
];

/** The place in the app a hint like "Open Settings → Providers" points at, if any. The hint is the producer's English one. */
export function hintTarget(hint: string | undefined): HintTarget | null {
  if (!hint) return null;
  const settings = /settings\s*(?:→|->|>|›)?\s*(\w+)?/i.exec(hint);
  if (settings) {
    const tail = settings[1] ?? '';
    for (const [re, section, title] of SECTION_WORDS) {
      if (re.test(tail)) return { label: i18n.t('hint.openSettingsSection', { section: i18n.t(`hint.${title}`) }), route: { view: 'settings', section } };
    }
    return { label: i18n.t('hint.openSettings'), route: { view: 'settings' } };
  }
  if (/backups?/i.test(hint)) return { label: i18n.t('hint.openBackups'), route: { view: 'backups' } };
  return null;
}

export function HintAction({ hint, onNavigate }: { hint: string | undefined; onNavigate?: () => void }) {
  const navigate = useNavigate();
  useTranslation(); // re-render when the language changes
  const target = hintTarget(hint);
  if (!target) return null;
  return (
    <button type="button" className="btn" onClick={() => { onNavigate?.(); navigate(target.route); }}>
      {target.label}
    </button>
  );
}
