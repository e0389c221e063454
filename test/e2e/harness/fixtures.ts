// Small documents and waits shared by the e2e specs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A short agreement: one chunk, so a run is a map step and a report. */
export function writeShortContract(dir: string, name = 'supply-terms.md'): string {
  const file = join(dir, name);
  writeFileSync(file, [
    '# Supply Terms',
    '',
    '## 1. Delivery',
    '',
    'The Supplier shall deliver the goods within 30 days of each purchase order. Late delivery incurs a credit of 2% per week.',
    '',
    '## 2. Payment',
    '',
    'The Customer shall pay each undisputed invoice within 45 days of receipt. Disputed amounts must be notified in writing within 10 days.',
    '',
    '## 3. Term',
    '',
    'This agreement runs for two years and renews for one year unless either party gives 90 days notice.',
    '',
  ].join('\n'));
  return file;
}

/**
 * A text whose every passage carries markup: the simulator quotes passages
 * word for word, so the model output contains `<img … onerror>` and `<script>`.
 * (No spaces inside the tags: the simulator quotes whole words.)
 */
export const IMG_PAYLOAD = "<img/src='x'/onerror='window.__pwned=1'>";
export const SCRIPT_PAYLOAD = '<script>window.__pwned=2</script>';
export function writeMarkupNotes(dir: string): string {
  const file = join(dir, 'supplier-notes.txt');
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) lines.push(`Clause ${IMG_PAYLOAD} applies here.`, `Clause ${SCRIPT_PAYLOAD} applies here.`);
  writeFileSync(file, `Supplier notes\n\n${lines.join('\n')}\n`);
  return file;
}

/** Polls until `fn` returns something truthy. */
export async function until<T>(fn: () => T | Promise<T>, what: string, ms = 30_000, everyMs = 50): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
