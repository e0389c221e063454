// Reasons (errors and pauses) in the interface's language, from their code. The engine, store,
// service and main write the English message for logs and the CLI; the renderer chooses the words
// here. Engine codes are `category:code` (electron/engine/errors.ts): the full code is looked up
// first, then the code alone, then the category, so an unforeseen `transient:ECONNRESET` still
// reads as a retry. A code with no entry keeps the English message.
import type { TFunction } from 'i18next';
import type { ErrorInfo } from '../state/app-store.ts';
import { i18n } from './i18n.ts';

/** The catalog keys a reason code may be found under, most specific first. */
export function reasonKeys(code: string): string[] {
  const keys = [code];
  const colon = code.indexOf(':');
  if (colon > 0) keys.push(code.slice(colon + 1), code.slice(0, colon));
  return keys.map((k) => `reason.${k}`);
}

export interface ReasonText {
  message: string;
  hint: string | undefined;
}

/**
 * The words for a reason. In English the producer's own message is kept: it names the provider, the
 * file or the amount, which the code alone does not carry. In any other language the catalog's text
 * is used, with the reason's params interpolated when it has some.
 */
export function reasonText(reason: ErrorInfo, t: TFunction = i18n.t): ReasonText {
  if (i18n.resolvedLanguage === 'en' || i18n.language === 'en') return { message: reason.message, hint: reason.hint };
  const params = reason.params ?? {};
  const key = reasonKeys(reason.code).find((k) => i18n.exists(`${k}.message`));
  if (!key) return { message: reason.message, hint: reason.hint };
  const hintKey = `${key}.hint`;
  return {
    message: t(`${key}.message`, params),
    hint: reason.hint ? (i18n.exists(hintKey) ? t(hintKey, params) : reason.hint) : undefined,
  };
}
