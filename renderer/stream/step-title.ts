// A person-readable title for a step key: "Chunk 6 · § 5.3" rather than
// "map:5:eaf3bd487fcf:a57a4d8e". Keys are the engine's (electron/engine/pipeline/step-keys.ts).
import { i18n } from '../i18n/i18n.ts';

export function stepTitle(stepKey: string, sourceOf?: (index: number) => string | undefined): string {
  const [kind, a] = stepKey.split(':');
  switch (kind) {
    case 'map': {
      const index = Number(a);
      if (!Number.isInteger(index)) break;
      const source = sourceOf?.(index);
      return `${i18n.t('step.chunk', { n: index + 1 })}${source ? ` · ${source}` : ''}`;
    }
    case 'reduce':
      return a === 'final' ? i18n.t('step.report') : i18n.t('step.combining', { level: a });
    case 'ask':
      return i18n.t('step.answering');
    default:
      break;
  }
  return stepKey;
}
