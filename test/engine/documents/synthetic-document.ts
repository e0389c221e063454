// Deterministic synthetic documents for chunking tests: numbered sections,
// paragraphs of varied sentences, optional pages. Built through the same
// assembler as real ingestion, so offsets and source maps are the real thing.
import { assembleBlocks } from '../../../electron/engine/documents/assemble.ts';
import type { Block, IngestedDocument } from '../../../electron/engine/documents/types.ts';
import { seededRandom } from '../../../shared/seeded-random.ts';

const VOCABULARY = (
  'supplier customer shall deliver services within thirty business days invoice payment terms liability ' +
  'indemnity confidential information termination notice period renewal warranty acceptance criteria ' +
  'milestone deliverable subcontractor personnel data protection breach remedy dispute escalation ' +
  'governance committee quarterly review service credits availability incident response recovery ' +
  'intellectual property licence assignment insurance audit records retention compliance sanctions ' +
  'café naïve Zürich 1,250,000 €4.75 2025-03-31 §7 e-mail third-party non-exclusive irrevocable'
).split(' ');

export const prng = seededRandom;

export function sentence(rnd: () => number, words = 6 + Math.floor(rnd() * 18), end = '.'): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(VOCABULARY[Math.floor(rnd() * VOCABULARY.length)] ?? 'term');
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + end;
}

export function paragraph(rnd: () => number, sentences = 2 + Math.floor(rnd() * 4)): string {
  return Array.from({ length: sentences }, () => sentence(rnd)).join(' ');
}

const TOPICS = ['Scope', 'Fees', 'Liability', 'Warranty', 'Data', 'Audit', 'Exit'];

type Doc = Pick<IngestedDocument, 'text' | 'sourceMap' | 'pages'>;

/** Sections "1 Title" with subsections "1.1 Title", each followed by paragraphs. */
export function numberedDocument(seed: number, sections = 6, subsections = 3, paragraphs = 3, numbered = true): Doc {
  const rnd = prng(seed);
  const blocks: Block[] = [{ kind: 'heading', level: 1, text: 'Master Services Agreement' }, { kind: 'paragraph', text: paragraph(rnd) }];
  for (let s = 1; s <= sections; s++) {
    blocks.push({ kind: 'heading', level: 2, text: numbered ? `${s} Section ${s} terms` : `${TOPICS[s % TOPICS.length]} terms` });
    for (let u = 1; u <= subsections; u++) {
      blocks.push({ kind: 'heading', level: 3, text: numbered ? `${s}.${u} Clause ${u} of section ${s}` : `${TOPICS[(s + u) % TOPICS.length]} obligations` });
      for (let p = 0; p < paragraphs; p++) blocks.push({ kind: 'paragraph', text: paragraph(rnd) });
    }
  }
  return { ...assembleBlocks(blocks), pages: null };
}

export function pagedDocument(seed: number, pages = 12, paragraphsPerPage = 4): Doc {
  const rnd = prng(seed);
  const blocks: Block[] = [];
  for (let page = 1; page <= pages; page++) {
    for (let p = 0; p < paragraphsPerPage; p++) blocks.push({ kind: 'paragraph', text: paragraph(rnd), page });
  }
  return { ...assembleBlocks(blocks), pages };
}

export function plainDocument(text: string): Doc {
  return { ...assembleBlocks([{ kind: 'paragraph', text }]), pages: null };
}
