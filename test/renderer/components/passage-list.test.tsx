import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PassageList, parsePassages } from '../../../renderer/components/passage-list.tsx';

const LIST = JSON.stringify([
  { index: 0, doc: 0, textHash: 'a'.repeat(64), tokens: 1_455, label: '§ 1.1', pages: [], headingPath: ['Definitions'] },
  { index: 1, doc: 0, textHash: 'b'.repeat(64), tokens: 1_200, label: 'pp. 3–4', pages: [3, 4], headingPath: [] },
]);

describe('a chunking checkpoint’s output', () => {
  it('reads as the chunks the document was cut into, not as JSON', () => {
    const passages = parsePassages(LIST);
    expect(passages).toHaveLength(2);
    render(<PassageList passages={passages ?? []} />);
    expect(screen.getByTestId('passage-list').textContent).toMatch(/cut into 2 chunks \(2\.7k tokens\)/);
    expect(screen.getByText('§ 1.1')).toBeTruthy();
    expect(screen.getByText('pp. 3–4')).toBeTruthy();
    expect(screen.queryByText(/textHash/)).toBeNull();
  });

  it('anything else is not taken for a chunk list', () => {
    for (const text of ['Findings: 1. The Supplier shall…', '[]', '[{"label":3}]', '{"label":"x","tokens":1}', '[1,2']) expect(parsePassages(text)).toBeNull();
  });
});
