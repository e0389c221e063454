// Model output is untrusted. It is rendered as Markdown with no raw HTML:
// HTML in the text is shown as literal text, the tree is sanitised, images are
// never fetched, and links open in the OS browser only after the user confirms
// in main's native dialog (which shows the whole URL: the page cannot be trusted to ask).
import { memo, type ReactNode } from 'react';
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

export interface CitationRef {
  label: string;
  chunkIndex: number | null;
  valid: boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Turn citation labels like "[p. 12]" into links the renderer resolves to chunks. */
export function linkCitations(text: string, citations: CitationRef[]): string {
  let out = text;
  const seen = new Set<string>();
  for (const c of citations) {
    const inner = c.label.replace(/^\[/, '').replace(/\]$/, '').trim();
    if (!inner || seen.has(inner)) continue;
    seen.add(inner);
    const target = c.valid && c.chunkIndex !== null ? `${CITATION_PREFIX}${c.chunkIndex}` : MISSING_CITATION;
    out = out.replace(new RegExp(`\\[${escapeRegExp(inner)}\\](?![(\\[:])`, 'g'), `[${inner}](${target})`);
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

  const components: Components = {
    a: ({ href, children }: { href?: string | undefined; children?: ReactNode }) => {
      const url = href ?? '';
      if (url.startsWith(CITATION_PREFIX)) {
        const index = Number(url.slice(CITATION_PREFIX.length));
        return (
          <button type="button" className="citation" onClick={() => onCitation?.(index)} title={`Show the source (chunk ${index + 1})`}>
            {children}
          </button>
        );
      }
      if (url === MISSING_CITATION) {
        return <span className="citation citation-missing" title="This citation does not match any source chunk">{children}</span>;
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
    img: ({ alt }: { alt?: string | undefined }) => <span className="image-placeholder">[image{alt ? `: ${alt}` : ''}]</span>,
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
