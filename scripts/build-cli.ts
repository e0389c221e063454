// The `cairn` command as one ES module (dist-cli/cairn-cli.mjs) plus its
// document-reading worker (dist-cli/ingest-worker.cjs, found beside the bundle
// as in the desktop build), with a manifest that lets bin/cairn.js use them
// only while every input is unchanged (electron/cli/cli-bundle.ts).
// Part of `npm run build`; `node scripts/build-cli.ts` builds just this.
//
// Every input is stamped (size, mtime, ctime) when the bundler loads it, before
// it is read: a file changed later no longer matches its stamp, and the bundle
// is never used. File times are coarse (a few ms), so a change in the same tick
// as the stamp could leave it unchanged: an input changed less than a second
// before it was stamped makes the build wait and start again. What steered the
// resolving and transforming (each bundled package's package.json, the
// project's package.json and tsconfig files) is stamped too, after the build,
// and must not have changed since it began. The new bundle is
// written to a sibling folder and swapped in, so a `cairn` starting meanwhile
// sees the old bundle whole, no bundle, or the new one whole.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { build, type Plugin } from 'vite';
import { BUNDLE_DIR_NAME, BUNDLE_ENTRY, MANIFEST, stampOf, type BundleManifest, type FileStamp } from '../electron/cli/cli-bundle.ts';
import { root } from './run-step.ts';

/** Modules no Node-side bundle includes: Electron, Node's own, and the native or worker-loading ones (the desktop build uses this list too). */
export const NODE_EXTERNAL = ['electron', 'better-sqlite3', 'pdfjs-dist', /^pdfjs-dist\//, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// Native and lazily required modules stay in node_modules; they are resolved from the bundle's folder at run time.
const EXTERNAL = [...NODE_EXTERNAL, /^gpt-tokenizer(\/|$)/];

/** The package.json that governs a file inside node_modules (how its imports resolved). */
function packageJsonOf(file: string): string | null {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return null;
  const rest = file.slice(at + marker.length).split(sep);
  const name = rest[0]?.startsWith('@') ? rest.slice(0, 2) : rest.slice(0, 1);
  const pkg = join(file.slice(0, at + marker.length), ...name, 'package.json');
  return existsSync(pkg) ? pkg : null;
}

/** An input changed this recently may change again within the same file-time tick, unseen: build again later. */
const SETTLE_MS = 1_000;

class Stamps {
  readonly files = new Map<string, FileStamp>();
  readonly unsettled: string[] = [];

  /** Stamps a file now; it is unsettled if it changed after `since` (default: a second before now). */
  add(file: string, since = Date.now() - SETTLE_MS): void {
    if (this.files.has(file)) return;
    const stamp = stampOf(file);
    this.files.set(file, stamp);
    if (stamp[3] > since) this.unsettled.push(file);
  }
}

function stampInputs(stamps: Stamps): Plugin {
  return {
    name: 'cairn-stamp-inputs',
    enforce: 'pre',
    load(id) {
      const file = id.split('?')[0] ?? id;
      if (isAbsolute(file) && existsSync(file) && statSync(file).isFile()) stamps.add(file);
      return null; // the bundler reads the file itself, after this stamp
    },
  };
}

async function bundle(input: Record<string, string>, outDir: string, format: 'es' | 'cjs', stamps: Stamps): Promise<void> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    plugins: [stampInputs(stamps)],
    build: {
      ssr: true,
      outDir,
      emptyOutDir: false,
      target: 'node22',
      sourcemap: true,
      rollupOptions: {
        input,
        external: EXTERNAL,
        output: { format, entryFileNames: format === 'es' ? '[name].mjs' : '[name].cjs', codeSplitting: false },
      },
    },
    ssr: { noExternal: true, external: ['better-sqlite3', 'pdfjs-dist', 'gpt-tokenizer'] },
  });
}

/** Builds the CLI bundle into `outDir` (default dist-cli/ in the project) and returns its manifest. */
export async function buildCli(outDir = join(root, BUNDLE_DIR_NAME)): Promise<BundleManifest> {
  for (let round = 1; ; round += 1) {
    const built = await buildOnce(outDir);
    if (built.ok) return built.manifest;
    if (round === 3) throw new Error(`${built.unsettled} keeps changing; the CLI bundle was not written (cairn runs from the sources).`);
    await sleep(SETTLE_MS);
  }
}

async function buildOnce(outDir: string): Promise<{ ok: true; manifest: BundleManifest } | { ok: false; unsettled: string }> {
  const parent = dirname(outDir);
  const staging = join(parent, `.${BUNDLE_DIR_NAME}-building-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const stamps = new Stamps();
  const started = Date.now();
  try {
    await bundle({ [BUNDLE_ENTRY.replace(/\.mjs$/, '')]: join(root, 'electron', 'cli', 'main.ts') }, staging, 'es', stamps);
    await bundle({ 'ingest-worker': join(root, 'electron', 'engine', 'documents', 'ingest-worker.ts') }, staging, 'cjs', stamps);
    // Files that steer how the inputs were resolved and transformed are stamped after the build:
    // they are unsettled if they changed at any time since it began.
    const steering = [...stamps.files.keys()].map(packageJsonOf).filter((p): p is string => p !== null);
    for (const f of readdirSync(root)) if (f === 'package.json' || /^tsconfig.*\.json$/.test(f)) steering.push(join(root, f));
    for (const file of steering) stamps.add(file, started - SETTLE_MS);
    if (stamps.unsettled.length > 0) return { ok: false, unsettled: stamps.unsettled[0]! };
    const outputs = readdirSync(staging).filter((f) => !f.endsWith('.map'));
    if (!outputs.includes(BUNDLE_ENTRY)) throw new Error(`the CLI build wrote no ${BUNDLE_ENTRY}`);
    // The bundle's own files are stamped where they will be (renaming the folder keeps their size, mtime and ctime).
    const own = outputs.map((f): FileStamp => {
      const [, size, mtimeMs, ctimeMs] = stampOf(join(staging, f));
      return [join(outDir, f), size, mtimeMs, ctimeMs];
    });
    const manifest: BundleManifest = { version: 1, entry: BUNDLE_ENTRY, files: [...stamps.files.values(), ...own] };
    writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest)}\n`);
    const old = join(parent, `.${BUNDLE_DIR_NAME}-old-${process.pid}`);
    rmSync(old, { recursive: true, force: true });
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(staging, outDir);
    rmSync(old, { recursive: true, force: true });
    return { ok: true, manifest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const manifest = await buildCli();
  console.log(`built the cairn CLI → ${BUNDLE_DIR_NAME}/${BUNDLE_ENTRY} (${manifest.files.length} files stamped)`);
}
