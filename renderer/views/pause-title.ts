// Why a session paused, in the analyst's words, from the engine's reason codes
// (electron/engine/errors.ts and pipeline/analysis.ts). A code never shows raw.

const DISK_CODES = new Set([
  'disk_full', 'SQLITE_FULL', 'ENOSPC', 'io_error', 'SQLITE_IOERR', 'EIO',
  'read_only', 'SQLITE_READONLY', 'EROFS', 'permission_denied', 'EACCES', 'EPERM',
]);

const TITLES: Record<string, string> = {
  budget_exceeded: 'budget reached',
  unauthorized: 'the provider refused the key',
  forbidden: 'the provider refused access to the model',
  missing_key: 'no API key for this provider',
  insufficient_quota: 'no credit left with the provider',
  model_not_found: 'the model is not available',
  not_found: 'the provider address was not found',
  context_length_exceeded: 'the input is too long for the model',
  attempts_exhausted: 'some passages could not be analysed',
};

/** A pause the engine made because the next call would pass the session's budget ('budget:budget_exceeded'). */
export function isBudgetPause(session: { status: string; reason: { code: string } | null }): boolean {
  return session.status === 'paused' && session.reason !== null && session.reason.code.startsWith('budget');
}

export function pauseTitle(code: string): string {
  if (DISK_CODES.has(code)) return 'disk problem';
  const known = TITLES[code];
  if (known) return known;
  if (/budget/i.test(code)) return 'budget reached';
  if (/disk|space|io_?err/i.test(code)) return 'disk problem';
  if (/auth|401|403/i.test(code)) return 'the provider refused the key';
  if (/^http_4\d\d$/.test(code)) return 'the provider rejected the request';
  return 'needs your attention';
}
