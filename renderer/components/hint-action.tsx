import type { Route, SettingsSection } from '../state/ui-slice.ts';
import { useNavigate } from '../state/hooks.ts';

interface HintTarget {
  label: string;
  route: Route;
}

const SECTION_WORDS: [RegExp, SettingsSection, string][] = [
  [/providers?/i, 'providers', 'Providers'],
  [/keys?/i, 'keys', 'Keys'],
  [/price/i, 'prices', 'Prices'],
];

/** The place in the app a hint like "Open Settings → Providers" points at, if any. */
export function hintTarget(hint: string | undefined): HintTarget | null {
  if (!hint) return null;
  const settings = /settings\s*(?:→|->|>|›)?\s*(\w+)?/i.exec(hint);
  if (settings) {
    const tail = settings[1] ?? '';
    for (const [re, section, title] of SECTION_WORDS) {
      if (re.test(tail)) return { label: `Open Settings → ${title}`, route: { view: 'settings', section } };
    }
    return { label: 'Open Settings', route: { view: 'settings' } };
  }
  if (/backups?/i.test(hint)) return { label: 'Open Backups', route: { view: 'backups' } };
  return null;
}

export function HintAction({ hint, onNavigate }: { hint: string | undefined; onNavigate?: () => void }) {
  const navigate = useNavigate();
  const target = hintTarget(hint);
  if (!target) return null;
  return (
    <button type="button" className="btn" onClick={() => { onNavigate?.(); navigate(target.route); }}>
      {target.label}
    </button>
  );
}
