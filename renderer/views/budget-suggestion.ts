// The amount the "raise budget" field starts with: enough to finish at the rate
// the session has spent so far, and never less than twice the old limit, so one
// raise usually finishes the analysis instead of pausing again a step later.
import type { Session } from '../../shared/domain.ts';
import { i18n } from '../i18n/i18n.ts';

/** Reduce steps read every finding: the passages' rate underestimates the whole run. */
const REDUCE_MARGIN = 1.25;

/** Rounded up to two significant digits, never finer than a cent: $0.14, $6.50, $130. */
export function roundUpBudget(usd: number): number {
  if (!(usd > 0)) return 0.01;
  const step = Math.max(0.01, 10 ** (Math.floor(Math.log10(usd)) - 1));
  return Math.round(Math.ceil(usd / step - 1e-9) * step * 100) / 100;
}

/** Cost of the whole analysis at the rate of the passages done so far, or null before the first. */
export function projectedCost(session: Session): number | null {
  const { done, total } = session.progress;
  if (done <= 0 || total <= 0) return null;
  return (session.usage.costUsd * total) / done * REDUCE_MARGIN;
}

export function suggestBudget(session: Session): number {
  const spent = session.usage.costUsd;
  const limit = session.config.budgetUsd ?? spent;
  const raw = Math.max(limit * 2, projectedCost(session) ?? 0, spent + 0.01);
  const rounded = roundUpBudget(raw);
  return rounded > spent ? rounded : roundUpBudget(spent + 0.01);
}

/** Spent money with enough digits that "more than" is meaningful for small amounts. */
export function formatSpent(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** The budget the user typed, or the reason it cannot be used. */
export function parseBudget(text: string, spentUsd: number): { ok: true; usd: number } | { ok: false; message: string } {
  const t = text.trim().replace(/^\$/, '');
  const usd = t === '' ? Number.NaN : Number(t);
  if (!Number.isFinite(usd) || usd <= 0) return { ok: false, message: i18n.t('budget.enterAmount') };
  if (usd <= spentUsd) return { ok: false, message: i18n.t('budget.moreThanSpent', { spent: formatSpent(spentUsd) }) };
  return { ok: true, usd };
}
