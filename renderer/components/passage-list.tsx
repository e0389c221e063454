// The output of a chunking checkpoint is the list of chunks the document was
// cut into (a JSON list the engine reads back). People see it as that list:
// each chunk's source label and size, not the JSON.
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { formatTokens } from '../format.ts';

const PassagesSchema = z.array(z.object({ label: z.string(), tokens: z.number().int().nonnegative() })).min(1);

const SHOWN = 200;

/** The chunks in a chunking checkpoint's output, or null when the text is not such a list. */
export function parsePassages(output: string): Array<{ label: string; tokens: number }> | null {
  try {
    const parsed = PassagesSchema.safeParse(JSON.parse(output));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function PassageList({ passages }: { passages: Array<{ label: string; tokens: number }> }) {
  const total = passages.reduce((n, p) => n + p.tokens, 0);
  const { t } = useTranslation();
  return (
    <div data-testid="passage-list">
      <p>{t('passages.cut', { count: passages.length, tokens: formatTokens(total) })}</p>
      <ol className="passages">
        {passages.slice(0, SHOWN).map((p, i) => (
          <li key={i}><span>{p.label || t('chunk.title', { n: i + 1 })}</span> <span className="muted">{formatTokens(p.tokens)}</span></li>
        ))}
      </ol>
      {passages.length > SHOWN ? <p className="muted">{t('passages.more', { count: passages.length - SHOWN })}</p> : null}
    </div>
  );
}
