// The Backups view: list, Create now, Verify, Restore.
import type { Locator, Page } from 'playwright-core';

export class BackupsPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly table: Locator;
  readonly rows: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { name: 'Backups', level: 1 });
    this.table = page.getByTestId('backup-table');
    this.rows = page.getByTestId('backup-row');
  }

  async goto(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Backups' }).click();
    await this.heading.waitFor();
  }

  async createNow(): Promise<void> {
    const before = await this.rows.count();
    await this.page.getByRole('button', { name: 'Create backup now' }).click();
    await this.rows.nth(before).waitFor();
  }

  row(backupId: string): Locator {
    return this.page.locator(`[data-testid="backup-row"][data-backup-id="${backupId}"]`);
  }

  /** Opens the restore dialog of a backup row, picks the mode and confirms. */
  async restore(row: Locator, mode: 'replace' | 'new-session'): Promise<void> {
    await row.getByRole('button', { name: /^Restore backup of / }).click();
    const dialog = this.page.getByRole('dialog', { name: /^Restore the backup of / });
    await dialog.getByRole('radio', { name: mode === 'replace' ? /Replace all current data/ : /as new sessions/ }).check();
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
  }
}
