import { afterEach, describe, expect, it } from 'vitest';
import { formatCost, formatDuration, formatNumber, formatRelative, formatTime } from '../../../renderer/format.ts';
import { detectLanguage, i18n, resolveLanguage, setLanguage } from '../../../renderer/i18n/i18n.ts';
import { pseudoLocalize } from '../../../renderer/i18n/pseudo.ts';
import { reasonText } from '../../../renderer/i18n/reasons.ts';

afterEach(() => setLanguage('en'));

describe('the interface language', () => {
  it('follows the OS unless the setting picks one', () => {
    expect(detectLanguage(['vi-VN', 'en-US'])).toBe('vi');
    expect(detectLanguage(['fr-FR', 'en-GB'])).toBe('en');
    expect(detectLanguage(['fr-FR'])).toBe('en');
    expect(resolveLanguage('system', ['vi'])).toBe('vi');
    expect(resolveLanguage('en', ['vi'])).toBe('en');
    expect(resolveLanguage('vi', [])).toBe('vi');
  });

  it('formats numbers, money, times and durations the Vietnamese way', () => {
    setLanguage('vi');
    expect(formatNumber(1234.5)).toBe('1.234,5');
    expect(formatCost(1234.5).replace(/\s/g, ' ')).toBe('1.234,50 US$'); // Intl puts a no-break space before the currency
    const d = new Date(2026, 11, 2, 12, 5, 9);
    expect(formatTime(d.toISOString())).toBe('12:05:09, 2 thg 12, 2026');
    expect(formatDuration(65)).toBe('1 phút 5 giây');
    const now = Date.parse('2026-12-02T12:05:00Z');
    expect(formatRelative(new Date(now - 120_000).toISOString(), now)).toBe('2 phút trước');
  });

  it('keeps the English forms in English', () => {
    expect(formatCost(0.0012)).toBe('$0.0012');
    expect(formatCost(12)).toBe('$12.00');
    expect(formatDuration(65)).toBe('1 min 5 s');
    expect(i18n.t('app.sessionsInterrupted', { count: 1 })).toMatch(/^1 session was/);
    expect(i18n.t('app.sessionsInterrupted', { count: 2 })).toMatch(/^2 sessions were/);
  });

  it('translates a reason from its code, the engine category:code first, then the code, then the category', () => {
    const reason = { code: 'auth:unauthorized', message: 'The API key from env DEEPSEEK_API_KEY was rejected by DeepSeek (401).', hint: 'Replace the key in Settings → Providers and resume.' };
    expect(reasonText(reason).message).toBe(reason.message);
    setLanguage('vi');
    expect(reasonText(reason)).toEqual({ message: 'Nhà cung cấp đã từ chối khoá API (401).', hint: 'Thay khoá trong Cài đặt → Nhà cung cấp rồi tiếp tục.' });
    expect(reasonText({ code: 'transient:ECONNRESET', message: 'cut' }).message).toMatch(/tạm thời/);
    expect(reasonText({ code: 'something_new', message: 'English only' }).message).toBe('English only');
  });

  it('has a pseudo-locale, accented and about 30% longer, placeholders kept', () => {
    const p = pseudoLocalize('Retry in {{time}}');
    expect(p).toContain('{{time}}');
    expect(p).toMatch(/Ŕéţŕý íñ/);
    expect(p.length).toBeGreaterThanOrEqual(Math.round('Retry in {{time}}'.length * 1.3));
    setLanguage('en-XA');
    expect(i18n.t('nav.sessions')).toMatch(/^\[Šéššíóñš ~+\]$/);
  });
});
