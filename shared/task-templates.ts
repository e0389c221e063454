// The built-in task templates: one wording, used by the engine (what the model
// is asked) and the renderer (what the form shows), so the two cannot drift.
import type { TaskTemplate } from './domain.ts';

export const TASK_TEMPLATES: Record<Exclude<TaskTemplate, 'custom'>, { title: string; label: string; task: string }> = {
  summary: { title: 'Summary', label: 'Summary', task: 'Summarise the document: its purpose, the parties, the main terms and anything unusual.' },
  obligations: { title: 'Obligations with deadlines', label: 'Obligations', task: 'Extract every obligation: who owes it, what must be done, and by when (the deadline or trigger).' },
  risks: { title: 'Risks', label: 'Risks', task: 'Identify the risks for the reader: liabilities, penalties, termination triggers, ambiguities and missing protections, each with its severity.' },
  'key-figures': { title: 'Key figures', label: 'Key figures', task: 'List every key figure: amounts, fees, caps, percentages, dates, durations and thresholds, each with what it applies to.' },
  question: { title: 'Question answering', label: 'Question', task: 'Answer the question below from the document only, quoting the passages that support the answer.' },
};
