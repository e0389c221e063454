// A person-readable title for a step key: "Chunk 6 · § 5.3" rather than
// "map:5:eaf3bd487fcf:a57a4d8e". Keys are the engine's (electron/engine/pipeline/step-keys.ts).
export function stepTitle(stepKey: string, sourceOf?: (index: number) => string | undefined): string {
  const [kind, a] = stepKey.split(':');
  switch (kind) {
    case 'map': {
      const index = Number(a);
      if (!Number.isInteger(index)) break;
      const source = sourceOf?.(index);
      return `Chunk ${index + 1}${source ? ` · ${source}` : ''}`;
    }
    case 'reduce':
      return a === 'final' ? 'Writing the report' : `Combining findings (level ${a})`;
    case 'ask':
      return 'Answering your question';
    default:
      break;
  }
  return stepKey;
}
