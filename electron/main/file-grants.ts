// Files the renderer may name. A page must not read a file the user did not
// choose, so main keeps the set of files the user picked in the open dialog
// or dropped on the window (the preload turns a dropped File into its path
// with webUtils.getPathForFile; a page cannot make a File with a path of its
// choosing), and the channels that read documents accept only those.
import path from 'node:path';
import type { Handler, Handlers } from './ipc-router.ts';
import { IpcFailure } from '../service/ipc-errors.ts';

export class FileGrants {
  readonly #granted = new Set<string>();

  /** Records files the user chose; returns their paths as the page will name them. */
  grant(paths: readonly string[]): string[] {
    const out: string[] = [];
    for (const p of paths) {
      if (!p || !path.isAbsolute(p)) continue;
      this.#granted.add(path.resolve(p));
      out.push(p);
    }
    return out;
  }

  has(file: string): boolean {
    return path.isAbsolute(file) && this.#granted.has(path.resolve(file));
  }

  /** Throws unless every path was chosen by the user in this run of the app. */
  check(paths: readonly string[], hint = 'Add the documents with “Add documents…” or by dropping them on the window.'): void {
    const refused = paths.filter((p) => !this.has(p));
    if (refused.length === 0) return;
    throw new IpcFailure(
      'file_not_chosen',
      `Cairn reads only files you choose. ${refused.length === 1 ? 'This file was' : `${refused.length} files were`} not chosen in this window: ${refused.slice(0, 3).map((p) => path.basename(p)).join(', ')}.`,
      hint,
    );
  }
}

type FileChannel = 'documents:preview' | 'sessions:create' | 'sessions:estimate' | 'sessions:import';

/** Wraps the channels that read the user's files (documents, a session file to import) so that they refuse files the user did not choose. */
export function requireChosenFiles(grants: FileGrants, handlers: Pick<Handlers, FileChannel>): Pick<Handlers, FileChannel> {
  // Taken now, so that the wrappers can replace them in the same object.
  const inner = { ...handlers };
  const preview: Handler<'documents:preview'> = (request, sender) => {
    grants.check(request.paths);
    return inner['documents:preview'](request, sender);
  };
  const create: Handler<'sessions:create'> = (request, sender) => {
    grants.check(request.documents);
    return inner['sessions:create'](request, sender);
  };
  const estimate: Handler<'sessions:estimate'> = (request, sender) => {
    grants.check(request.documents);
    return inner['sessions:estimate'](request, sender);
  };
  const importFile: Handler<'sessions:import'> = (request, sender) => {
    grants.check([request.path], 'Choose the session file with “Import session…” in Sessions.');
    return inner['sessions:import'](request, sender);
  };
  return { 'documents:preview': preview, 'sessions:create': create, 'sessions:estimate': estimate, 'sessions:import': importFile };
}
