// `sessions:export` with save: the engine renders the export; main asks where
// to save it (a native dialog the sandboxed page cannot open) and writes it.
import type { ParsedRequestOf, ResponseOf } from '../../shared/ipc/index.ts';

export interface ExportSaveDeps {
  render: (request: ParsedRequestOf<'sessions:export'>) => Promise<ResponseOf<'sessions:export'>>;
  sessionName: (id: string) => Promise<string>;
  /** Shows a save dialog; null when the user cancels. */
  chooseFile: (suggested: string, format: 'md' | 'json' | 'html') => Promise<string | null>;
  writeFile: (file: string, content: string) => Promise<void>;
}

const EXTENSION = { md: 'md', json: 'json', html: 'html' } as const;

export function suggestedFileName(sessionName: string, format: 'md' | 'json' | 'html'): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not contain
  const base = sessionName.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) || 'cairn-report';
  return `${base}.${EXTENSION[format]}`;
}

export async function exportAndSave(request: ParsedRequestOf<'sessions:export'>, deps: ExportSaveDeps): Promise<ResponseOf<'sessions:export'>> {
  const rendered = await deps.render({ ...request, save: false });
  if (!request.save) return rendered;
  const file = await deps.chooseFile(suggestedFileName(await deps.sessionName(request.id), request.format), request.format);
  if (!file) return { content: rendered.content, savedTo: null };
  await deps.writeFile(file, rendered.content);
  return { content: rendered.content, savedTo: file };
}
