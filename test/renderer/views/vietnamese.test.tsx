// The key views in Vietnamese: the words come from vi.json, reasons are translated from their
// code, and search ignores diacritics ('hop dong' finds 'Hợp đồng').
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeCheckpoint, makeSettings, makeTimeline } from '../fixtures.ts';
import { FakeCairn } from '../fake-api.ts';
import { renderApp } from '../render-app.tsx';

function vietnamese(): FakeCairn {
  const fake = new FakeCairn();
  fake.settings = makeSettings({ language: 'vi' });
  return fake;
}

describe('In Vietnamese', () => {
  it('the sessions list speaks Vietnamese, translates reasons and finds "hop dong" in "Hợp đồng"', async () => {
    const fake = vietnamese();
    fake.addSession({ name: 'Hợp đồng thuê nhà', status: 'done' });
    fake.addSession({ name: 'Báo cáo tài chính', status: 'paused', reason: { code: 'budget:budget_exceeded', message: 'The next call would take the session past its budget of $1.00.', hint: 'Raise the session budget and resume, or resume with a cheaper model.' } });
    renderApp(fake);
    expect(await screen.findByRole('heading', { name: 'Phiên phân tích' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sao lưu' })).toBeTruthy();
    await screen.findByText('Hợp đồng thuê nhà');
    const badges = screen.getAllByTestId('status-badge').map((b) => b.querySelector('.badge')?.textContent);
    expect(badges.sort()).toEqual(['Tạm dừng', 'Đã xong']);
    expect(screen.getByText(/vượt quá ngân sách của phiên/)).toBeTruthy();

    fireEvent.change(screen.getByRole('searchbox', { name: 'Tìm phiên' }), { target: { value: 'hop dong' } });
    await waitFor(() => expect(screen.queryByText('Báo cáo tài chính')).toBeNull());
    expect(within(screen.getByTestId('session-list')).getByText('Hợp đồng thuê nhà')).toBeTruthy();
  });

  it('sorts names in Vietnamese order (d before đ, a before ă)', async () => {
    const fake = vietnamese();
    for (const name of ['Đánh giá rủi ro', 'Ăn uống', 'Dự toán', 'An toàn']) fake.addSession({ name, status: 'done' });
    renderApp(fake);
    await screen.findByText('Dự toán');
    fireEvent.change(screen.getByRole('combobox', { name: 'Sắp xếp theo' }), { target: { value: 'name' } });
    const names = () => within(screen.getByTestId('session-list')).getAllByTestId('session-row').map((r) => r.querySelector('.session-name')?.textContent);
    await waitFor(() => expect(names()).toEqual(['An toàn', 'Ăn uống', 'Dự toán', 'Đánh giá rủi ro']));
  });

  it('switches language in Settings without a restart', async () => {
    const fake = new FakeCairn();
    renderApp(fake, { view: 'settings', section: 'general' });
    const select = await screen.findByRole('combobox', { name: 'Language' });
    fireEvent.change(select, { target: { value: 'vi' } });
    expect(await screen.findByRole('heading', { name: 'Cài đặt' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Phiên phân tích' })).toBeTruthy();
    expect(fake.settings.language).toBe('vi');
  });

  it('the timeline speaks Vietnamese and its search finds "hop dong" in a document named "Hợp đồng"', async () => {
    // jsdom has no layout: a viewport for the virtualiser, for this test only.
    const height = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 480 });
    try {
      const fake = vietnamese();
      const session = fake.addSession({ name: 'Lịch sử', status: 'done' });
      const rows = makeTimeline(session.id, 4);
      const doc = makeCheckpoint(session.id, 'document', 9, rows[0]!.checkpoint.id);
      rows.splice(1, 0, { checkpoint: { ...doc, state: { name: 'Hợp đồng thuê nhà.pdf' } }, onHeadPath: true, isHead: false, depth: 1, integrity: 'ok' });
      fake.timelines.set(session.id, rows);
      renderApp(fake, { view: 'session', sessionId: session.id, tab: 'timeline' });
      expect(await screen.findByRole('heading', { name: 'Dòng thời gian' })).toBeTruthy();
      await waitFor(() => expect(screen.getAllByTestId('timeline-row')).toHaveLength(5));
      expect(screen.getByTestId('timeline-count').textContent).toBe('5 điểm lưu');
      fireEvent.change(screen.getByRole('searchbox', { name: 'Tìm trong dòng thời gian' }), { target: { value: 'hop dong' } });
      await waitFor(() => expect(screen.getAllByTestId('timeline-row')).toHaveLength(1));
      expect(screen.getByTestId('timeline-row').textContent).toContain('tài liệu');
    } finally {
      if (height) Object.defineProperty(HTMLElement.prototype, 'clientHeight', height);
    }
  });

  it('a paused session says why and what to do, in Vietnamese', async () => {
    const fake = vietnamese();
    const session = fake.addSession({ name: 'Hợp đồng', status: 'paused', reason: { code: 'auth:unauthorized', message: 'The API key from env OPENAI_API_KEY was rejected by OpenAI (401).', hint: 'Replace the key in Settings → Providers and resume.' } });
    renderApp(fake, { view: 'session', sessionId: session.id, tab: 'overview' });
    const panel = await screen.findByRole('alert', { name: 'Tạm dừng: nhà cung cấp từ chối khoá' });
    expect(within(panel).getByText('Nhà cung cấp đã từ chối khoá API (401).')).toBeTruthy();
    expect(within(panel).getByText('Thay khoá trong Cài đặt → Nhà cung cấp rồi tiếp tục.')).toBeTruthy();
    // The fix's button is found from the English hint, and named in Vietnamese.
    expect(within(panel).getByRole('button', { name: 'Mở Cài đặt → Nhà cung cấp' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Dòng thời gian' })).toBeTruthy();
  });
});
