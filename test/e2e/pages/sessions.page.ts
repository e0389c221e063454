// The Sessions view: list with status, search and filter, interrupted banner.
import type { Locator, Page } from 'playwright-core';

export class SessionsPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly list: Locator;
  readonly rows: Locator;
  readonly emptyState: Locator;
  readonly banner: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { name: 'Sessions', level: 1 });
    this.list = page.getByTestId('session-list');
    this.rows = page.getByTestId('session-row');
    this.emptyState = page.getByTestId('sessions-empty');
    this.banner = page.getByTestId('interrupted-banner');
  }

  async goto(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Sessions/ }).click();
    await this.heading.waitFor();
  }

  row(name: string | RegExp): Locator {
    return this.rows.filter({ has: this.page.getByRole('button', { name: typeof name === 'string' ? `Open session ${name}` : name }) });
  }

  rowsWithStatus(status: string): Locator {
    return this.page.locator(`[data-testid="session-row"][data-status="${status}"]`);
  }

  async statusOf(row: Locator): Promise<string | null> {
    return row.getAttribute('data-status');
  }

  async open(name: string | RegExp): Promise<void> {
    await this.row(name).getByRole('button', { name: /^Open session/ }).click();
  }

  async resumeAll(): Promise<void> {
    await this.banner.getByRole('button', { name: 'Resume all' }).click();
  }

  async review(): Promise<void> {
    await this.banner.getByRole('button', { name: 'Review' }).click();
  }
}
