// The `cairn` command can run from one prebuilt file (dist-cli/, written by
// `npm run build`): Node then loads one module instead of ~460 (the openai SDK
// alone is 236 files, zod 95), which is most of a resume's time to its first
// token. The bundle is used only while every file it was built from is exactly
// as it was: its manifest records each input's size, mtime and ctime (ctime
// changes on any write, even one that puts the mtime back), and any difference,
// a missing file or an unreadable manifest runs the sources instead. A fresh
// clone, an edit, a `git checkout` or an `npm install` after the build never
// runs stale code.
//
// bin/cairn.js loads this file before anything else, so it imports only Node
// built-ins (no zod to check the manifest: loading it is part of what the
// bundle saves; anything unexpected in the manifest just means the sources).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as CliMain from './main.ts';

export const BUNDLE_DIR_NAME = 'dist-cli';
export const BUNDLE_ENTRY = 'cairn-cli.mjs';
export const MANIFEST = 'manifest.json';
/** Set (to anything) to run the TypeScript sources even when the bundle is fresh. */
export const FROM_SOURCES_ENV = 'CAIRN_CLI_FROM_SOURCES';

/** An absolute path with the size, mtime and ctime it had when the bundle was built. */
export type FileStamp = [path: string, size: number, mtimeMs: number, ctimeMs: number];

export interface BundleManifest {
  version: 1;
  /** The entry module, a file name inside the bundle directory. */
  entry: string;
  /** Every module bundled, the package.json files that resolved them, and the bundle's own files. */
  files: FileStamp[];
}

export function stampOf(file: string): FileStamp {
  const st = statSync(file);
  return [file, st.size, st.mtimeMs, st.ctimeMs];
}

function isStamp(x: unknown): x is FileStamp {
  return Array.isArray(x) && x.length === 4 && typeof x[0] === 'string' && x[0].length > 0
    && typeof x[1] === 'number' && typeof x[2] === 'number' && typeof x[3] === 'number';
}

function isManifest(x: unknown): x is BundleManifest {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return m['version'] === 1 && typeof m['entry'] === 'string' && /^[\w.-]+\.m?js$/.test(m['entry'])
    && Array.isArray(m['files']) && m['files'].length > 0 && m['files'].every(isStamp);
}

/** The bundle's entry file when it is up to date with everything it was built from; null means: run the sources. */
export function freshBundle(bundleDir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env[FROM_SOURCES_ENV]) return null;
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(bundleDir, MANIFEST), 'utf8'));
  } catch {
    return null;
  }
  if (!isManifest(manifest)) return null;
  const entry = join(bundleDir, manifest.entry);
  if (!manifest.files.some(([file]) => file === entry)) return null;
  for (const [file, size, mtimeMs, ctimeMs] of manifest.files) {
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st || !st.isFile() || st.size !== size || st.mtimeMs !== mtimeMs || st.ctimeMs !== ctimeMs) return null;
  }
  return entry;
}

export interface LoadedCli {
  main: typeof CliMain.main;
  from: 'bundle' | 'sources';
}

/** The command's `main`: the bundle's when it is fresh, else the sources'. */
export async function loadCli(bundleDir: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedCli> {
  const bundle = freshBundle(bundleDir, env);
  const loaded = bundle ? await importBundle(bundle) : null;
  if (loaded) return { main: loaded.main, from: 'bundle' };
  const { main } = await import('./main.ts');
  return { main, from: 'sources' };
}

/** The bundle's exports; null when a rebuild swapped it away after it was checked. */
export async function importBundle(file: string): Promise<typeof CliMain | null> {
  try {
    return (await import(pathToFileURL(file).href)) as typeof CliMain;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && !existsSync(file)) return null;
    throw err;
  }
}
