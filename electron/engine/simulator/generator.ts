// The simulator's text: a pure function of the request messages, so the same
// request always gets the same answer (byte for byte) and the pipeline and its
// tests can predict what a step will produce. It reads like an analysis: it
// quotes short phrases from the passage it was given and cites that passage
// by its label; combining findings, it keeps each quote with its citation.
import { createHash } from 'node:crypto';
import { seededRandom } from '../../../shared/seeded-random.ts';

export interface ChatMessageLike {
  role: string;
  content: string;
}

export interface GenerateOptions {
  /** Approximate length of the answer in words (each word is about one streamed token). */
  words: number;
}

/**
 * Sent by the step runner's `continue` resume policy after the partial answer.
 * The simulator recognises it and continues its own earlier answer, repeating
 * a few words of overlap the way real models often do.
 */
export const CONTINUATION_INSTRUCTION =
  'Your previous answer was cut off. Continue exactly where it stopped, without repeating or summarising what you already wrote.';

/** Words the simulator repeats when asked to continue, to exercise overlap removal. */
export const CONTINUATION_OVERLAP_WORDS = 4;

const MARKER = /\[(?:p{1,2}\.\s?\d+(?:[-–]\d+)?|§+\s?\d+(?:\.\d+)*|para\.\s?\d+|page\s\d+)\]/gi;

export function messagesHash(messages: readonly ChatMessageLike[]): string {
  const canonical = JSON.stringify(messages.map((m) => [m.role, m.content]));
  return createHash('sha256').update(canonical).digest('hex');
}

/** Source markers in the order they first appear, without duplicates. */
export function extractMarkers(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(MARKER)) seen.add(m[0]);
  return [...seen];
}

/** Sentences long enough to quote from, markers and Markdown markup (headings, list bullets, bold, code ticks) stripped. */
export function extractPassages(text: string): string[] {
  return text
    .replace(MARKER, ' ')
    .split(/(?<=[.!?;:])\s+|\n+/)
    .map((s) => s.replace(/^\s*(?:#{1,6}|[-*+]|\d+[.)])\s+/, '').replace(/\*\*|`/g, '').replace(/\s+/g, ' ').trim())
    .filter((s) => s.split(' ').length >= 4 && s.length <= 400 && /[a-z]/i.test(s));
}

const prng = (seedHex: string): (() => number) => seededRandom(Number.parseInt(seedHex.slice(0, 8), 16));

const LEADS = [
  'The text states that',
  'The passage notes that',
  'According to the document,',
  'It is stated that',
  'The source records that',
  'The document makes clear that',
];
const FILLER = [
  'This bears directly on the task and should be read together with the surrounding sections.',
  'The wording is specific and leaves little room for a different reading.',
  'No exception to this is given in the material provided.',
  'The obligation applies without a stated end date.',
  'A later section may qualify this, so it is worth checking the full document.',
  'The figures are given without a source, which limits how far they can be relied on.',
  'This is consistent with the rest of the material analysed so far.',
  'The responsibility is assigned to a named party rather than left open.',
];

function pick<T>(items: readonly T[], rnd: () => number): T {
  return items[Math.floor(rnd() * items.length) % items.length] as T;
}

/**
 * A phrase that reads as a quotation: a clause from the start of the sentence
 * (or of one of its comma-separated parts), 5 to 14 words, never a window that
 * starts or ends mid-phrase.
 */
function quote(passage: string, rnd: () => number): string {
  // A clause that opens with a conjunction reads as a fragment: quote from the sentence start instead.
  const clauses = passage.replace(/["“”]/g, '').split(/(?<=[,;])\s+/).filter((c) => c.split(' ').length >= 4 && !/^(?:and|or|but|nor|which|that)\b/i.test(c));
  const from = clauses.length > 0 && rnd() < 0.4 ? pick(clauses, rnd) : passage.replace(/["“”]/g, '');
  const words = from.split(' ');
  const len = Math.min(words.length, 5 + Math.floor(rnd() * 10));
  return words.slice(0, len).join(' ').replace(/[.,;:!?(]+$/, '');
}

/** A quoted phrase and the citation it came with (`[p. 12]`), or null when it was quoted without one. */
interface SourcedQuote {
  phrase: string;
  cite: string | null;
}

const PASSAGE_LABEL = /^Passage \[([^\]\n]{1,200})\]:$/m;
const QUOTE_WITH_CITE = /"([^"\n]{12,300})"(?:\s*(\[[^\]\n]{1,200}\]))?/g;
/** A section of combined findings: "### From [p. 12]" (one passage) or "### Combined findings, part 2". */
const FINDINGS_SECTION = /^### (?:From (\[[^\]\n]{1,200}\])|Combined findings[^\n]*)$/;

/**
 * What earlier findings quoted, each with the citation it carried: a step that combines findings quotes
 * those phrases and cites each one where its finding did (else the passage its section comes from), so a
 * citation always points at the passage its quote came from, through every level of a reduce.
 */
function sourcedQuotes(text: string): SourcedQuote[] {
  const out: SourcedQuote[] = [];
  let section: string | null = null;
  for (const line of text.split('\n')) {
    const heading = FINDINGS_SECTION.exec(line);
    if (heading) {
      section = heading[1] ?? null;
      continue;
    }
    for (const m of line.matchAll(QUOTE_WITH_CITE)) {
      const phrase = (m[1] as string).trim();
      if (phrase.split(' ').length >= 3) out.push({ phrase, cite: m[2] ?? section });
    }
  }
  return out;
}

/** The full answer the simulator gives for these messages. Pure and deterministic. */
export function generateAnalysis(messages: readonly ChatMessageLike[], opts: GenerateOptions): string {
  const rnd = prng(messagesHash(messages));
  const userText = messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  // Quote the material (inside """ fences, as Cairn sends it), not the instructions around it.
  const fenced = [...userText.matchAll(/"""\n?([\s\S]*?)\n?"""/g)].map((m) => m[1] ?? '').join('\n');
  const source = fenced.trim() ? fenced : userText;
  // Combining findings (a reduce step): quote what the findings quoted from the document, with their citations.
  const quoted = /^Findings:/m.test(source) ? sourcedQuotes(source) : [];
  // Analysing one passage: every quote cites that passage, by the label Cairn gave it.
  const passageLabel = PASSAGE_LABEL.exec(userText)?.[1];
  const passages = quoted.length > 0 ? [] : extractPassages(source);
  const markers = extractMarkers(source);
  const target = Math.max(1, Math.floor(opts.words));

  const lines: string[] = ['Findings:'];
  let words = 1;
  let n = 0;
  while (words < target && n < 10_000) {
    n += 1;
    let line: string;
    if (quoted.length > 0) {
      const q = pick(quoted, rnd);
      line = `${n}. ${pick(LEADS, rnd)} "${q.phrase}"${q.cite === null ? '' : ` ${q.cite}`}. ${pick(FILLER, rnd)}`;
    } else if (passages.length > 0) {
      const cite = passageLabel !== undefined ? ` [${passageLabel}]` : markers.length > 0 && rnd() < 0.7 ? ` ${pick(markers, rnd)}` : '';
      line = `${n}. ${pick(LEADS, rnd)} "${quote(pick(passages, rnd), rnd)}"${cite}. ${pick(FILLER, rnd)}`;
    } else {
      line = `${n}. ${pick(FILLER, rnd)}`;
    }
    lines.push(line);
    words += line.split(' ').length;
  }
  const text = lines.join('\n');
  // Trim to the requested length on a word boundary so `words` really bounds the output.
  const pieces = splitIntoTokens(text);
  if (pieces.length <= target) return text;
  const cut = pieces.slice(0, target).join('');
  // End on a finished finding when that keeps most of the requested length.
  const lastLine = cut.lastIndexOf('\n');
  return (lastLine > cut.length / 2 ? cut.slice(0, lastLine) : cut).trimEnd();
}

/** Splits text into the pieces the simulator streams (a word plus its trailing space). Joining them gives the text back. */
export function splitIntoTokens(text: string): string[] {
  return text.match(/\s+|\S+\s*/g) ?? [];
}

/**
 * The answer for a request: a plain analysis, or — when the request is a
 * continuation (…, assistant partial, user CONTINUATION_INSTRUCTION) — the rest
 * of the original answer starting a few words before where the partial stopped.
 */
export function generateReply(messages: readonly ChatMessageLike[], opts: GenerateOptions): string {
  const last = messages.at(-1);
  const prev = messages.at(-2);
  if (messages.length >= 3 && last?.role === 'user' && last.content === CONTINUATION_INSTRUCTION && prev?.role === 'assistant') {
    const original = generateAnalysis(messages.slice(0, -2), opts);
    const partial = prev.content;
    if (original.startsWith(partial)) {
      const done = splitIntoTokens(partial).length;
      const all = splitIntoTokens(original);
      const from = Math.max(0, done - CONTINUATION_OVERLAP_WORDS);
      return all.slice(from).join('');
    }
  }
  return generateAnalysis(messages, opts);
}
