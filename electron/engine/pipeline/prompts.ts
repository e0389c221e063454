// What Cairn asks the model. Templates give an analyst a good first task; the
// prompt builders are pure so a re-run builds byte-identical requests (and so
// hits the memo instead of paying again).
import type { TaskTemplate } from '../../../shared/domain.ts';
import { TASK_TEMPLATES } from '../../../shared/task-templates.ts';

export { TASK_TEMPLATES };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export function taskFor(template: TaskTemplate, custom?: string): string {
  if (template === 'custom' || template === 'question') {
    const text = (custom ?? '').trim();
    if (template === 'question' && text) return `${TASK_TEMPLATES.question.task}\n\nQuestion: ${text}`;
    if (text) return text;
  }
  if (template === 'custom') throw new Error('A custom task needs its text.');
  return TASK_TEMPLATES[template].task;
}

const SYSTEM = [
  'You are Cairn, a careful analyst working through a long document one passage at a time.',
  'Use only the text you are given. Do not invent facts.',
  'Cite the source of every finding with the label given to its passage, in square brackets, e.g. [p. 12] or [§ 3.2].',
  'Write concise Markdown.',
].join(' ');

export function mapMessages(task: string, passage: { label: string; text: string }): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Task: ${task}\n\nPassage [${passage.label}]:\n"""\n${passage.text}\n"""\n\nList the findings from this passage for the task, each citing [${passage.label}]. If the passage has nothing relevant, say "No findings." only.` },
  ];
}

/** Findings with a label come from one passage; combined findings (label null) already carry their citations. */
export function reduceMessages(task: string, findings: Array<{ label: string | null; text: string }>, final: boolean): ChatMessage[] {
  const body = findings.map((f, i) => `### ${f.label === null ? `Combined findings, part ${i + 1}` : `From [${f.label}]`}\n${f.text.trim()}`).join('\n\n');
  const ask = final
    ? 'Write the final report for the task from these findings. Merge duplicates, keep every citation exactly as written, and order the report so an analyst can act on it.'
    : 'Combine these findings into one shorter list for the task. Merge duplicates and keep every citation exactly as written.';
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Task: ${task}\n\nFindings:\n"""\n${body}\n"""\n\n${ask}` },
  ];
}

export function continuationMessages(request: ChatMessage[], partial: string): ChatMessage[] {
  return [
    ...request,
    { role: 'assistant', content: partial },
    { role: 'user', content: 'Your previous answer was cut off. Continue exactly where it stopped, without repeating anything already written.' },
  ];
}

/** "contract.pdf — Obligations with deadlines", or the task's first words for a custom task. */
export function defaultSessionName(documents: readonly string[], template: TaskTemplate, task: string): string {
  const first = documents[0]?.split(/[\\/]/).pop() ?? 'Analysis';
  const docs = documents.length > 1 ? `${first} +${documents.length - 1}` : first;
  const what = template !== 'custom' && template !== 'question' ? TASK_TEMPLATES[template].title : task.replace(/\s+/g, ' ').trim();
  const short = what.length > 60 ? `${what.slice(0, what.lastIndexOf(' ', 60) > 30 ? what.lastIndexOf(' ', 60) : 60)}…` : what;
  return `${docs} — ${short}`.slice(0, 200);
}
