import { describe, expect, test } from 'vitest';
import { stepTitle } from '../../../renderer/stream/step-title.ts';

describe('step titles', () => {
  test('name steps the way an analyst reads them', () => {
    expect(stepTitle('map:5:eaf3bd487fcf:a57a4d8e', (i) => (i === 5 ? '§ 5.3' : undefined))).toBe('Chunk 6 · § 5.3');
    expect(stepTitle('map:0:eaf3bd487fcf:a57a4d8e')).toBe('Chunk 1');
    expect(stepTitle('reduce:1:2:abcdef123456')).toBe('Combining findings (level 1)');
    expect(stepTitle('reduce:final:abcdef123456')).toBe('Writing the report');
    expect(stepTitle('ask:3')).toBe('Answering your question');
    expect(stepTitle('something-else')).toBe('something-else');
  });
});
