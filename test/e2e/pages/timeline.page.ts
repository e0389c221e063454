// The Timeline tab: the virtualised checkpoint list and the inspector with
// "Roll back here" and "Fork from here…".
import type { Locator, Page } from 'playwright-core';

export class TimelinePage {
  readonly page: Page;
  readonly list: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly inspector: Locator;

  constructor(page: Page) {
    this.page = page;
    this.list = page.getByRole('listbox', { name: 'Checkpoints' });
    this.rows = this.list.getByTestId('timeline-row');
    this.count = page.getByTestId('timeline-count');
    this.inspector = page.getByTestId('checkpoint-inspector');
  }

  async total(): Promise<number> {
    return Number.parseInt((await this.count.textContent()) ?? '', 10);
  }

  /** The first row of this kind (and step), e.g. ('chunks') or ('map', 'map:3'). */
  row(kind: string, stepKey?: string): Locator {
    return this.rows.filter({ has: this.page.locator('.tl-kind', { hasText: new RegExp(`^${kind}$`) }) })
      .filter(stepKey ? { has: this.page.locator('.tl-step', { hasText: stepKey }) } : {}).first();
  }

  head(): Locator {
    return this.list.locator('[data-testid="timeline-row"].tl-is-head');
  }

  async select(row: Locator): Promise<string> {
    const id = await row.getAttribute('data-checkpoint-id');
    await row.click();
    await this.page.locator(`#tl-${id}[aria-selected="true"]`).waitFor();
    await this.inspector.getByRole('button', { name: 'Fork from here…' }).and(this.page.locator(':enabled')).waitFor();
    return id ?? '';
  }

  async rollBackHere(): Promise<Locator> {
    await this.inspector.getByRole('button', { name: 'Roll back here' }).click();
    return this.page.getByRole('dialog', { name: 'Roll back to this checkpoint?' });
  }

  async forkFromHere(task: string): Promise<void> {
    await this.inspector.getByRole('button', { name: 'Fork from here…' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Fork a new session from here?' });
    await dialog.getByRole('textbox', { name: 'Task for the fork' }).fill(task);
    await dialog.getByRole('button', { name: 'Create fork' }).click();
    await dialog.waitFor({ state: 'detached' });
  }
}
