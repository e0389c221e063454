// The New analysis view: documents (picker + previews), task template,
// provider, estimate, start.
import type { Locator, Page } from 'playwright-core';

export class NewAnalysisPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly previews: Locator;
  readonly estimate: Locator;
  readonly task: Locator;
  readonly provider: Locator;
  readonly startButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole('heading', { name: 'New analysis', level: 1 });
    this.previews = page.getByTestId('document-preview');
    this.estimate = page.getByTestId('estimate');
    this.task = page.getByRole('textbox', { name: 'Task', exact: true });
    this.provider = page.getByRole('combobox', { name: 'Provider' });
    this.startButton = page.getByRole('button', { name: 'Start analysis' });
  }

  async goto(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New analysis' }).click();
    await this.heading.waitFor();
  }

  /** Clicks "Add documents…"; the host answers the picker with the paths the test queued. */
  async addDocuments(expected: number): Promise<void> {
    const before = await this.previews.count();
    await this.page.getByRole('button', { name: 'Add documents…' }).click();
    await this.previews.nth(before + expected - 1).waitFor();
  }

  async chooseTemplate(label: string): Promise<void> {
    await this.page.getByRole('group', { name: 'Template' }).getByRole('radio', { name: label }).check();
  }

  async chooseProvider(name: string): Promise<void> {
    await this.provider.selectOption(name);
  }

  async setTask(text: string): Promise<void> {
    await this.task.fill(text);
  }

  async runEstimate(): Promise<void> {
    await this.page.getByRole('button', { name: 'Estimate cost and time' }).click();
    await this.estimate.waitFor();
  }

  async start(): Promise<void> {
    await this.startButton.click();
  }
}
