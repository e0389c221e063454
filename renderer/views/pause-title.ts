// Why a session paused, in the analyst's words, from the engine's reason codes
// (electron/engine/errors.ts and pipeline/analysis.ts). A code never shows raw.
import { i18n } from '../i18n/i18n.ts';

const DISK_CODES = new Set([
  'disk_full', 'SQLITE_FULL', 'ENOSPC', 'io_error', 'SQLITE_IOERR', 'EIO',
  'read_only', 'SQLITE_READONLY', 'EROFS', 'permission_denied', 'EACCES', 'EPERM',
]);

/** Catalog keys (pause.*) of the titles for the codes that have their own. */
const TITLES: Record<string, string> = {
  budget_exceeded: 'budget',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  missing_key: 'missingKey',
  insufficient_quota: 'quota',
  model_not_found: 'modelNotFound',
  not_found: 'notFound',
  context_length_exceeded: 'contextLength',
  attempts_exhausted: 'attempts',
};

/** A pause the engine made because the next call would pass the session's budget ('budget:budget_exceeded'). */
export function isBudgetPause(session: { status: string; reason: { code: string } | null }): boolean {
  return session.status === 'paused' && session.reason !== null && session.reason.code.startsWith('budget');
}

function titleKey(code: string): string {
  if (DISK_CODES.has(code)) return 'disk';
  const known = TITLES[code];
  if (known) return known;
  if (/budget/i.test(code)) return 'budget';
  if (/disk|space|io_?err/i.test(code)) return 'disk';
  if (/auth|401|403/i.test(code)) return 'unauthorized';
  if (/^http_4\d\d$/.test(code)) return 'rejected';
  return 'attention';
}

export function pauseTitle(code: string): string {
  return i18n.t(`pause.${titleKey(code)}`);
}
