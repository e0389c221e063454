import type { TaskTemplate } from '../../shared/domain.ts';

export const TEMPLATES: { id: TaskTemplate; label: string; task: string }[] = [
  { id: 'summary', label: 'Summary', task: 'Summarise the documents: the main points, decisions and open questions, with page citations.' },
  { id: 'obligations', label: 'Obligations', task: 'List every obligation, deadline and party responsible, with page citations.' },
  { id: 'risks', label: 'Risks', task: 'Identify the risks (legal, financial, operational), how severe each is, and cite where each appears.' },
  { id: 'key-figures', label: 'Key figures', task: 'Extract the key figures (amounts, dates, quantities, percentages) in a table with page citations.' },
  { id: 'question', label: 'Question', task: 'Answer this question from the documents, citing pages: ' },
  { id: 'custom', label: 'Custom', task: '' },
];
