// The Session view: status, progress, live output, report, chunk results,
// panels that name the fix, export.
import type { Locator, Page } from 'playwright-core';

/** Run in the page (a string: this file is type-checked without the DOM library). */
const RECORD_PAINTS = `(() => {
  const rec = { live: [], progress: [] };
  globalThis.__cairnPaints = rec;
  const look = () => {
    for (const el of document.querySelectorAll('[data-testid="live-output"]')) {
      const t = el.textContent || '';
      if (t && !rec.live.includes(t)) rec.live.push(t);
    }
    const v = document.querySelector('[role="progressbar"][aria-label="Analysis progress"]')?.getAttribute('aria-valuenow');
    if (v !== null && v !== undefined && rec.progress[rec.progress.length - 1] !== Number(v)) rec.progress.push(Number(v));
  };
  new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

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
  /** The notice that the engine process stopped and was restarted. */
  readonly engineRestartedNotice: Locator;

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
    this.engineRestartedNotice = page.getByTestId('engine-restarted');
  }

  /**
   * Records, from now on, every distinct text the live output is painted with
   * and every progress value the bar announces (a MutationObserver in the page):
   * what was painted, in order, however slowly the test polls on a busy machine.
   */
  async recordPaints(): Promise<void> {
    await this.page.evaluate(RECORD_PAINTS);
  }

  /** What `recordPaints` has seen so far. */
  async paints(): Promise<{ live: string[]; progress: number[] }> {
    return (await this.page.evaluate('globalThis.__cairnPaints')) as { live: string[]; progress: number[] };
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
