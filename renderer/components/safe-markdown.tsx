// Model output is untrusted. It is rendered as Markdown with no raw HTML:
// HTML in the text is shown as literal text, the tree is sanitised, images are
// never fetched, and links open in the OS browser only after the user confirms
// in main's native dialog (which shows the whole URL: the page cannot be trusted to ask).
import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Markdown, { type Components } from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import { useApi } from '../app/context.tsx';

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** Turn every raw HTML node into plain text, so `<script>` is shown, not dropped silently nor run. */
function remarkHtmlAsText() {
  const walk = (node: MdNode) => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(walk);
  };
  return (tree: MdNode) => walk(tree);
}

export const CITATION_PREFIX = '#cairn-chunk-';
const MISSING_CITATION = '#cairn-missing';

/** Appended to a citation link whose quote the run did not find in the passage it cites. */
const UNVERIFIED_SUFFIX = '-unverified';

export interface CitationRef {
  label: string;
  chunkIndex: number | null;
  valid: boolean;
  /** The run's check of the quote before the citation against the chunk it resolves to (absent in older reports). */
  quoteCheck?: 'verified' | 'unverified' | 'no-quote' | undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function targetOf(c: CitationRef): string {
  if (!c.valid || c.chunkIndex === null) return MISSING_CITATION;
  return `${CITATION_PREFIX}${c.chunkIndex}${c.quoteCheck === 'unverified' ? UNVERIFIED_SUFFIX : ''}`;
}

/**
 * Turn citation labels like "[p. 12]" into links the renderer resolves to chunks. Citations come in the
 * order they appear, so the k-th "[p. 12]" in the text gets the k-th citation labelled "p. 12" (its mark).
 */
export function linkCitations(text: string, citations: CitationRef[]): string {
  let out = text;
  const byLabel = new Map<string, CitationRef[]>();
  for (const c of citations) {
    const inner = c.label.replace(/^\[/, '').replace(/\]$/, '').trim();
    if (!inner) continue;
    byLabel.set(inner, [...(byLabel.get(inner) ?? []), c]);
  }
  for (const [inner, list] of byLabel) {
    let k = 0;
    out = out.replace(new RegExp(`\\[${escapeRegExp(inner)}\\](?![(\\[:])`, 'g'), () => {
      const c = list[Math.min(k++, list.length - 1)]!;
      return `[${inner}](${targetOf(c)})`;
    });
  }
  return out;
}

const isExternal = (href: string) => /^https?:\/\//i.test(href);

interface Props {
  text: string;
  onCitation?: (chunkIndex: number) => void;
  className?: string;
}

function SafeMarkdownImpl({ text, onCitation, className }: Props) {
  const api = useApi();
  const { t } = useTranslation();

  const components: Components = {
    a: ({ href, children }: { href?: string | undefined; children?: ReactNode }) => {
      const url = href ?? '';
      if (url.startsWith(CITATION_PREFIX)) {
        const rest = url.slice(CITATION_PREFIX.length);
        const unverified = rest.endsWith(UNVERIFIED_SUFFIX);
        const index = Number(unverified ? rest.slice(0, -UNVERIFIED_SUFFIX.length) : rest);
        return (
          <button
            type="button"
            className={unverified ? 'citation citation-unverified' : 'citation'}
            onClick={() => onCitation?.(index)}
            title={unverified ? t('markdown.citationUnverified', { n: index + 1 }) : t('markdown.citationShow', { n: index + 1 })}
          >
            {children}
          </button>
        );
      }
      if (url === MISSING_CITATION) {
        return <span className="citation citation-missing" title={t('markdown.citationMissing')}>{children}</span>;
      }
      if (isExternal(url)) {
        return (
          <a href={url} rel="noreferrer noopener" onClick={(e) => { e.preventDefault(); api.appOpenExternal({ url }).catch(() => undefined); }}>
            {children}
          </a>
        );
      }
      // Relative or unknown links lead nowhere inside the app: show their text only.
      return <span className="link-inert">{children}</span>;
    },
    img: ({ alt }: { alt?: string | undefined }) => <span className="image-placeholder">{alt ? t('markdown.imageAlt', { alt }) : t('markdown.image')}</span>,
  };

  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      <Markdown remarkPlugins={[remarkGfm, remarkHtmlAsText]} rehypePlugins={[rehypeSanitize]} components={components}>
        {text}
      </Markdown>
    </div>
  );
}

export const SafeMarkdown = memo(SafeMarkdownImpl);
