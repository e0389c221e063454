// Number and time formatting for an analyst's eye, in the interface's language: Intl with
// the chosen locale (`1.234,5` and `12:05, 2 thg 12, 2026` in Vietnamese), units from the catalog.
import { i18n, intlLocale } from './i18n/i18n.ts';

function num(n: number, digits: number): string {
  return new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** US dollars, with four decimals below a cent (model calls cost fractions of one). */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '—';
  const digits = usd !== 0 && usd < 0.01 ? 4 : 2;
  return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(usd);
}

/** A plain count in the locale's digits (`1,234` / `1.234`). */
export function formatNumber(n: number): string {
  return new Intl.NumberFormat(intlLocale()).format(n);
}

export function formatTokens(n: number): string {
  if (n < 1_000) return String(n);
  if (n < 1_000_000) return i18n.t('format.thousands', { n: num(n / 1_000, n < 10_000 ? 1 : 0) });
  return i18n.t('format.millions', { n: num(n / 1_000_000, 2) });
}

export function formatBytes(n: number): string {
  if (n < 1024) return i18n.t('format.bytes', { n: String(n) });
  if (n < 1024 ** 2) return i18n.t('format.kilobytes', { n: num(n / 1024, 1) });
  if (n < 1024 ** 3) return i18n.t('format.megabytes', { n: num(n / 1024 ** 2, 1) });
  return i18n.t('format.gigabytes', { n: num(n / 1024 ** 3, 2) });
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return i18n.t('format.seconds', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return i18n.t('format.minutesSeconds', { m, s: s % 60 });
  return i18n.t('format.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 });
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const locale = intlLocale();
  if (locale.startsWith('vi')) {
    // Vietnamese puts the time first: "12:05:09, 2 thg 12, 2026".
    const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const date = d.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
    return `${time}, ${date}`;
  }
  return d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatRelative(iso: string, now: number): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 5) return i18n.t('format.justNow');
  if (s < 60) return i18n.t('format.secondsAgo', { s });
  if (s < 3600) return i18n.t('format.minutesAgo', { m: Math.floor(s / 60) });
  if (s < 86_400) return i18n.t('format.hoursAgo', { h: Math.floor(s / 3600) });
  return formatTime(iso);
}

/** Whole seconds until `iso` (never negative). */
export function secondsUntil(iso: string, now: number): number {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.ceil((t - now) / 1000));
}
