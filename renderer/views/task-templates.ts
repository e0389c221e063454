import type { TaskTemplate } from '../../shared/domain.ts';
import { TASK_TEMPLATES } from '../../shared/task-templates.ts';

/**
 * The task each template runs, in the engine's own words (shared/task-templates.ts),
 * so what the form shows is what the model is asked. The engine replaces the task of
 * a preset template with its text, so an edited preset is sent as a custom task.
 * 'question' holds only the question: the engine adds the instruction.
 */
const PRESETS = ['summary', 'obligations', 'risks', 'key-figures'] as const;
export const TEMPLATES: { id: TaskTemplate; label: string; task: string }[] = [
  ...PRESETS.map((id) => ({ id, label: TASK_TEMPLATES[id].label, task: TASK_TEMPLATES[id].task })),
  { id: 'question', label: TASK_TEMPLATES.question.label, task: '' },
  { id: 'custom', label: 'Custom', task: '' },
];

export const QUESTION_INSTRUCTION = TASK_TEMPLATES.question.task;

/** The template and task to send: a preset whose text was edited becomes a custom task, so the edit is what runs. */
export function taskRequest(template: TaskTemplate, text: string): { template: TaskTemplate; task: string } {
  const task = text.trim();
  const preset = TEMPLATES.find((t) => t.id === template);
  if (template === 'question' || template === 'custom' || !preset) return { template, task };
  return task === preset.task ? { template, task } : { template: 'custom', task };
}
