import type { TaskTemplate } from '../../shared/domain.ts';

/**
 * The task each template runs. The texts are the engine's own
 * (electron/engine/pipeline/prompts.ts TASK_TEMPLATES), so what the form shows
 * is what the model is asked. The engine replaces the task of a preset
 * template with its text, so an edited preset is sent as a custom task.
 * 'question' holds only the question: the engine adds the instruction.
 */
export const TEMPLATES: { id: TaskTemplate; label: string; task: string }[] = [
  { id: 'summary', label: 'Summary', task: 'Summarise the document: its purpose, the parties, the main terms and anything unusual.' },
  { id: 'obligations', label: 'Obligations', task: 'Extract every obligation: who owes it, what must be done, and by when (the deadline or trigger).' },
  { id: 'risks', label: 'Risks', task: 'Identify the risks for the reader: liabilities, penalties, termination triggers, ambiguities and missing protections, each with its severity.' },
  { id: 'key-figures', label: 'Key figures', task: 'List every key figure: amounts, fees, caps, percentages, dates, durations and thresholds, each with what it applies to.' },
  { id: 'question', label: 'Question', task: '' },
  { id: 'custom', label: 'Custom', task: '' },
];

export const QUESTION_INSTRUCTION = 'Answer the question below from the document only, quoting the passages that support the answer.';

/** The template and task to send: a preset whose text was edited becomes a custom task, so the edit is what runs. */
export function taskRequest(template: TaskTemplate, text: string): { template: TaskTemplate; task: string } {
  const task = text.trim();
  const preset = TEMPLATES.find((t) => t.id === template);
  if (template === 'question' || template === 'custom' || !preset) return { template, task };
  return task === preset.task ? { template, task } : { template: 'custom', task };
}
