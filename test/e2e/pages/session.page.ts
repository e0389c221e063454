// The Session view: status, progress, live output, report, chunk results,
// panels that name the fix, export.
import type { Locator, Page } from 'playwright-core';

export class SessionPage {
  readonly page: Page;
  readonly title: Locator;
  readonly status: Locator;
  readonly progressbar: Locator;
  readonly liveOutput: Locator;
  readonly liveStreams: Locator;
  readonly report: Locator;
  readonly chunkRows: Locator;
  readonly errorPanel: Locator;
  readonly waitingPanel: Locator;
  readonly countdown: Locator;
  readonly interruptedPanel: Locator;

  constructor(page: Page) {
    this.page = page;
    this.title = page.getByRole('heading', { level: 1 });
    this.status = page.locator('.view-header').getByTestId('status-badge');
    this.progressbar = page.getByRole('progressbar', { name: 'Analysis progress' });
    this.liveOutput = page.getByTestId('live-output');
    this.liveStreams = page.getByTestId('live-stream');
    this.report = page.getByTestId('report');
    this.chunkRows = page.getByTestId('chunk-row');
    this.errorPanel = page.getByTestId('error-panel');
    this.waitingPanel = page.getByTestId('waiting-panel');
    this.countdown = this.waitingPanel.getByTestId('retry-countdown');
    this.interruptedPanel = page.getByTestId('interrupted-panel');
  }

  async statusValue(): Promise<string | null> {
    return this.status.getAttribute('data-status');
  }

  /** [done, total] as the progress bar announces them. */
  async progress(): Promise<[number, number]> {
    const now = Number(await this.progressbar.getAttribute('aria-valuenow'));
    const max = Number(await this.progressbar.getAttribute('aria-valuemax'));
    return [now, max];
  }

  async waitForStatus(status: string, timeout = 60_000): Promise<void> {
    await this.page.locator(`.view-header [data-testid="status-badge"][data-status="${status}"]`).waitFor({ timeout });
  }

  async exportAs(format: 'Markdown' | 'JSON' | 'HTML'): Promise<void> {
    await this.page.getByRole('button', { name: `Export ${format}` }).click();
  }

  async openTimeline(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Timeline' }).click();
  }

  async openOverview(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Overview' }).click();
  }

  async backToSessions(): Promise<void> {
    await this.page.getByRole('button', { name: '← Sessions' }).click();
  }

  toast(text: string | RegExp): Locator {
    return this.page.getByTestId('toast').filter({ hasText: text });
  }
}
