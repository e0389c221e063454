// Builds the messages for a follow-up question within the model's context
// window. Always kept: the system prompt, the task, the report (summarised to
// fit) and the question. Then the most relevant passages (a bounded share),
// the most recent question/answer pairs, whole — a question is never sent
// without its answer — and more passages if room remains. What was left out is reported so it can be checkpointed.
import type { ChatMessage } from './prompts.ts';

export interface Turn {
  question: string;
  answer: string;
}

export interface AskContextInput {
  task: string;
  report: string;
  /** Passages ranked best first. */
  passages: Array<{ label: string; text: string }>;
  history: Turn[];
  question: string;
  contextTokens: number;
  /** Tokens kept free for the answer. */
  reserveTokens: number;
  count: (text: string) => number;
}

export interface AskContext {
  messages: ChatMessage[];
  tokens: number;
  keptTurns: number;
  droppedTurns: number;
  passages: string[];
  reportTruncated: boolean;
}

const PER_MESSAGE = 4;

function clipToTokens(text: string, budget: number, count: (t: string) => number): string {
  if (budget <= 0) return '';
  if (count(text) <= budget) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(text.slice(0, mid)) + 2 <= budget) lo = mid;
    else hi = mid - 1;
  }
  const cut = text.lastIndexOf(' ', lo);
  return text.slice(0, cut > lo * 0.8 ? cut : lo) + ' …';
}

export function buildAskContext(input: AskContextInput): AskContext {
  const { count } = input;
  const budget = input.contextTokens - input.reserveTokens;
  const system = 'You are Cairn, answering follow-up questions about a document analysis. Use the report and the passages given; cite passages by their label, e.g. [p. 12] or [§ 3.2]. If the answer is not in them, say so.';
  const ack = 'Understood. What would you like to know?';
  const question: ChatMessage = { role: 'user', content: input.question };
  let used = 3 + PER_MESSAGE * 3 + count(system) + count(ack) + count(input.question);
  if (used > budget) throw Object.assign(new Error('The question alone is longer than the model can read.'), { code: 'context_length', hint: 'Shorten the question.' });

  // The report may take at most half of what is left, so history and passages still fit.
  const head = `Task: ${input.task}\n\nReport:\n`;
  const reportBudget = Math.floor((budget - used) / 2) - count(head) - PER_MESSAGE;
  const report = clipToTokens(input.report, reportBudget, count);
  const reportTruncated = report !== input.report;
  let contextText = head + report;
  used += count(contextText) + PER_MESSAGE;

  // The best passages get up to 40% of what is left; then the most recent
  // question/answer pairs, whole pairs only; then more passages if room remains.
  const passages: string[] = [];
  let passageText = '';
  const taken = new Set<number>();
  const addPassages = (limit: number) => {
    for (const [i, p] of input.passages.entries()) {
      if (taken.has(i)) continue;
      const block = `\n\nPassage [${p.label}]:\n${p.text}`;
      const cost = count(block);
      if (used + cost > limit) continue;
      taken.add(i);
      passageText += block;
      passages.push(p.label);
      used += cost;
    }
  };
  addPassages(used + Math.floor((budget - used) * 0.4));

  const kept: Turn[] = [];
  for (let i = input.history.length - 1; i >= 0; i--) {
    const t = input.history[i]!;
    const cost = count(t.question) + count(t.answer) + PER_MESSAGE * 2;
    if (used + cost > budget) break;
    kept.unshift(t);
    used += cost;
  }
  addPassages(budget);
  if (passageText) contextText += '\n\nRelevant passages:' + passageText;

  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: contextText },
    { role: 'assistant', content: ack },
  ];
  for (const t of kept) messages.push({ role: 'user', content: t.question }, { role: 'assistant', content: t.answer });
  messages.push(question);
  const tokens = 3 + messages.reduce((s, m) => s + PER_MESSAGE + count(m.content), 0);
  return { messages, tokens, keptTurns: kept.length, droppedTurns: input.history.length - kept.length, passages, reportTruncated };
}
