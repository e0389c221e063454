import { describe, expect, test } from 'vitest';
import { exportAndSave, suggestedFileName } from '../../electron/main/export-save.ts';

const ID = '01JBQ4Z8Y6W2N3XKPRS7TV5M9A';

describe('export with save', () => {
  const written: Array<[string, string]> = [];
  const deps = (choice: string | null) => ({
    render: async () => ({ content: '# Report', savedTo: null }),
    sessionName: async () => 'contract.pdf — Risks: a/b',
    chooseFile: async () => choice,
    writeFile: async (f: string, c: string) => {
      written.push([f, c]);
    },
  });

  test('asks where to save, writes there and says so', async () => {
    const r = await exportAndSave({ id: ID, format: 'md', save: true }, deps('/home/a/risks.md'));
    expect(r).toEqual({ content: '# Report', savedTo: '/home/a/risks.md' });
    expect(written.at(-1)).toEqual(['/home/a/risks.md', '# Report']);
  });

  test('a cancelled dialog writes nothing', async () => {
    const before = written.length;
    expect(await exportAndSave({ id: ID, format: 'html', save: true }, deps(null))).toEqual({ content: '# Report', savedTo: null });
    expect(written.length).toBe(before);
  });

  test('suggested names are safe file names', () => {
    expect(suggestedFileName('contract.pdf — Risks: a/b', 'md')).toBe('contract.pdf — Risks a b.md');
    expect(suggestedFileName('../../etc', 'json')).toBe('.. .. etc.json');
  });
});
